/* qemu's argument vector from a domain definition and resolved runtime facts. Options whose
 * values are user strings go through qemu's JSON syntax (-blockdev, -device), the rest use
 * keyval syntax with commas doubled, so no value can smuggle in an extra option. */
#include "qemu_command_priv.h"

#include <string.h>
#include <time.h>

#include "util/vkuuid.h"

/* ---- runtime facts ---- */

vkQEMURuntime *vkQEMURuntimeNew(const vkDomainDef *def)
{
    vkQEMURuntime *rt = g_new0(vkQEMURuntime, 1);

    rt->monitorFd = -1;
    rt->eventsFd = -1;
    rt->nnets = def->nnets;
    rt->nets = g_new0(vkQEMUNetRuntime, def->nnets + 1);
    for (size_t i = 0; i < def->nnets; i++)
        rt->nets[i].tapFd = -1;
    rt->ngraphics = def->ngraphics;
    rt->graphics = g_new0(vkQEMUGraphicsRuntime, def->ngraphics + 1);
    rt->now = g_get_real_time() / G_USEC_PER_SEC;
    return rt;
}

void vkQEMURuntimeFree(vkQEMURuntime *rt)
{
    if (!rt)
        return;
    g_free(rt->emulator);
    g_free(rt->accel);
    g_free(rt->monitorPath);
    g_free(rt->eventsPath);
    g_free(rt->incoming);
    for (size_t i = 0; i < rt->nnets; i++)
        g_free(rt->nets[i].bridge);
    g_free(rt->nets);
    for (size_t i = 0; i < rt->ngraphics; i++) {
        g_free(rt->graphics[i].address);
        g_free(rt->graphics[i].socket);
    }
    g_free(rt->graphics);
    g_free(rt->spiceTLSDir);
    g_free(rt->channelDir);
    g_free(rt->tpmSocket);
    g_free(rt);
}

gboolean vkQEMUNetUsesTap(const vkDomainNetDef *net)
{
    return net->type == VK_DOMAIN_NET_TYPE_NETWORK || net->type == VK_DOMAIN_NET_TYPE_BRIDGE ||
           net->type == VK_DOMAIN_NET_TYPE_ETHERNET;
}

/* ---- machine, CPU, memory ---- */

const char *vkQEMUMachineName(const vkDomainDef *def, const vkQEMUCaps *caps)
{
    const char *name = def->os.machine;
    const char *canonical;

    if (!name)
        name = caps && vkQEMUCapsGetDefaultMachine(caps) ? vkQEMUCapsGetDefaultMachine(caps) : "pc";
    if (caps && (canonical = vkQEMUCapsGetCanonicalMachine(caps, name)))
        return canonical;
    return name;
}

static int resolveAccel(const vkDomainDef *def, const vkQEMURuntime *rt, const char **accel)
{
    if (rt->accel)
        *accel = rt->accel;
    else if (def->virtType == VK_DOMAIN_VIRT_KVM)
        *accel = "kvm";
    else if (def->virtType == VK_DOMAIN_VIRT_QEMU)
        *accel = "tcg";
    else {
        vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "domain type '%s' cannot run under QEMU",
                      vkDomainVirtTypeToString(def->virtType));
        return -1;
    }
    if (!g_str_equal(*accel, "kvm") && !g_str_equal(*accel, "tcg")) {
        vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unknown accelerator '%s'", *accel);
        return -1;
    }
    return 0;
}

static const vkDomainTimerDef *findTimer(const vkDomainDef *def, int name)
{
    for (size_t i = 0; i < def->clock.ntimers; i++) {
        if (def->clock.timers[i].name == name)
            return &def->clock.timers[i];
    }
    return NULL;
}

/* Firmware in flash: the code image read-only, the variable store writable. */
static void buildPflash(vkCmd *cmd, GString *machine)
{
    const vkDomainDef *def = cmd->def;
    const char *images[] = { def->os.loader.path, def->os.nvram };

    for (int i = 0; i < 2 && images[i]; i++) {
        g_autofree char *storage = g_strdup_printf("libvirt-pflash%d-storage", i);
        g_autofree char *format = g_strdup_printf("libvirt-pflash%d-format", i);
        json_object *obj = json_object_new_object();
        gboolean readonly = i == 0 && def->os.loader.readonly == VK_DOMAIN_TRISTATE_YES;

        vkJSONAddStr(obj, "driver", "file");
        vkJSONAddStr(obj, "filename", images[i]);
        vkJSONAddStr(obj, "node-name", storage);
        vkJSONAddBool(obj, "auto-read-only", TRUE);
        vkJSONAddStr(obj, "discard", "unmap");
        vkCmdAddJSON(cmd, "-blockdev", obj);
        obj = json_object_new_object();
        vkJSONAddStr(obj, "node-name", format);
        vkJSONAddBool(obj, "read-only", readonly);
        vkJSONAddStr(obj, "driver", "raw");
        vkJSONAddStr(obj, "file", storage);
        vkCmdAddJSON(cmd, "-blockdev", obj);
        g_string_append_printf(machine, ",pflash%d=%s", i, format);
    }
}

static int buildMachine(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;
    const vkDomainTimerDef *hpet = findTimer(def, VK_DOMAIN_TIMER_HPET);
    g_autoptr(GString) machine = g_string_new(NULL);
    const char *accel;

    if (resolveAccel(def, cmd->rt, &accel) < 0)
        return -1;
    cmd->kvm = g_str_equal(accel, "kvm");
    vkCmdAppendEscaped(machine, cmd->machine);
    g_string_append_printf(machine, ",accel=%s,usb=off", accel);
    /* SMM for a firmware that keeps its variables out of the guest's reach (Secure Boot). */
    if (def->smm)
        g_string_append_printf(machine, ",smm=%s",
                               def->smm == VK_DOMAIN_TRISTATE_YES ? "on" : "off");
    else if (def->os.loader.secure == VK_DOMAIN_TRISTATE_YES)
        g_string_append(machine, ",smm=on");
    g_string_append(machine, ",dump-guest-core=off");
    if (!def->features[VK_DOMAIN_FEATURE_ACPI])
        g_string_append(machine, ",acpi=off");
    if (hpet && hpet->present == VK_DOMAIN_TRISTATE_NO)
        g_string_append(machine, ",hpet=off");
    if (def->vmport)
        g_string_append_printf(machine, ",vmport=%s",
                               def->vmport == VK_DOMAIN_TRISTATE_YES ? "on" : "off");
    if (def->os.loader.path && def->os.loader.type == VK_DOMAIN_LOADER_TYPE_PFLASH)
        buildPflash(cmd, machine);
    vkCmdAddString(cmd, "-machine", g_steal_pointer(&machine));
    if (def->os.loader.secure == VK_DOMAIN_TRISTATE_YES)
        vkCmdAddPair(cmd, "-global", "driver=cfi.pflash01,property=secure,value=on");
    if (def->os.loader.path && def->os.loader.type != VK_DOMAIN_LOADER_TYPE_PFLASH)
        vkCmdAddPair(cmd, "-bios", def->os.loader.path);
    return 0;
}

/* The Hyper-V enlightenments, as -cpu properties (hv-time comes from the hypervclock timer). */
static void buildHyperv(vkCmd *cmd, GString *buf)
{
    const vkDomainHypervDef *hv = &cmd->def->hyperv;
    const vkDomainTimerDef *hvclock = findTimer(cmd->def, VK_DOMAIN_TIMER_HYPERVCLOCK);

    if (hvclock && hvclock->present == VK_DOMAIN_TRISTATE_YES)
        g_string_append(buf, ",hv-time=on");
    if (hv->mode == VK_DOMAIN_HYPERV_MODE_PASSTHROUGH)
        g_string_append(buf, ",hv-passthrough=on");
    for (int f = 0; hv->mode && f < VK_DOMAIN_HYPERV_LAST; f++) {
        if (hv->features[f] != VK_DOMAIN_TRISTATE_YES)
            continue;
        if (f == VK_DOMAIN_HYPERV_SPINLOCKS) {
            g_string_append_printf(buf, ",hv-spinlocks=0x%x", hv->spinlocks);
        } else if (f == VK_DOMAIN_HYPERV_VENDOR_ID) {
            g_string_append(buf, ",hv-vendor-id=");
            vkCmdAppendEscaped(buf, hv->vendorId);
        } else {
            g_string_append_printf(buf, ",hv-%s=on", vkDomainHypervTypeToString(f));
            if (f == VK_DOMAIN_HYPERV_STIMER && hv->stimerDirect == VK_DOMAIN_TRISTATE_YES)
                g_string_append(buf, ",hv-stimer-direct=on");
        }
    }
}

/* libvirt's feature names that qemu spells otherwise (x86). */
static const char *cpuFeatureName(const char *name)
{
    static const char *const names[][2] = {
        { "cmp_legacy", "cmp-legacy" },       { "ds_cpl", "ds-cpl" },
        { "fxsr_opt", "fxsr-opt" },           { "kvm_pv_eoi", "kvm-pv-eoi" },
        { "kvm_pv_unhalt", "kvm-pv-unhalt" }, { "lahf_lm", "lahf-lm" },
        { "nodeid_msr", "nodeid-msr" },       { "pclmuldq", "pclmulqdq" },
        { "perfctr_core", "perfctr-core" },   { "perfctr_nb", "perfctr-nb" },
        { "tsc_adjust", "tsc-adjust" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (g_str_equal(name, names[i][0]))
            return names[i][1];
    }
    return name;
}

/* vendor_id and the features the definition requires or refuses; optional ones are qemu's
 * choice. */
static void buildCPUFeatures(GString *buf, const vkDomainCPUDef *cpu)
{
    if (cpu->vendorId) {
        g_string_append(buf, ",vendor=");
        vkCmdAppendEscaped(buf, cpu->vendorId);
    }
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        const char *state;

        switch (cpu->features[i].policy) {
        case VK_DOMAIN_CPU_FEATURE_FORCE:
        case VK_DOMAIN_CPU_FEATURE_REQUIRE:
            state = "on";
            break;
        case VK_DOMAIN_CPU_FEATURE_DISABLE:
        case VK_DOMAIN_CPU_FEATURE_FORBID:
            state = "off";
            break;
        default:
            continue;
        }
        g_string_append_c(buf, ',');
        vkCmdAppendEscaped(buf, cpuFeatureName(cpu->features[i].name));
        g_string_append_printf(buf, "=%s", state);
    }
}

/* <cache>: qemu's l3-cache and host-cache-info properties, after every other. */
static void buildCPUCache(GString *buf, const vkDomainCPUDef *cpu)
{
    gboolean hostOff = FALSE, l3Off = FALSE;

    if (!cpu || !cpu->hasCache)
        return;
    switch (cpu->cacheMode) {
    case VK_DOMAIN_CPU_CACHE_EMULATE:
        g_string_append(buf, ",l3-cache=on");
        hostOff = TRUE;
        break;
    case VK_DOMAIN_CPU_CACHE_PASSTHROUGH:
        g_string_append(buf, ",host-cache-info=on");
        l3Off = TRUE;
        break;
    default:
        hostOff = l3Off = TRUE;
        break;
    }
    if (hostOff && (cpu->mode == VK_DOMAIN_CPU_MODE_HOST_PASSTHROUGH ||
                    cpu->mode == VK_DOMAIN_CPU_MODE_MAXIMUM))
        g_string_append(buf, ",host-cache-info=off");
    if (l3Off)
        g_string_append(buf, ",l3-cache=off");
}

static int buildCPU(vkCmd *cmd)
{
    const vkDomainCPUDef *cpu = cmd->def->cpu;
    const vkDomainTimerDef *kvmclock = findTimer(cmd->def, VK_DOMAIN_TIMER_KVMCLOCK);
    const vkDomainTimerDef *hvclock = findTimer(cmd->def, VK_DOMAIN_TIMER_HYPERVCLOCK);
    g_autoptr(GString) buf = g_string_new(NULL);

    if (!cpu) {
        /* qemu's own default model, named only when a feature has to be added to it. */
        if ((kvmclock && kvmclock->present == VK_DOMAIN_TRISTATE_NO) || cmd->def->hyperv.mode ||
            (hvclock && hvclock->present == VK_DOMAIN_TRISTATE_YES))
            g_string_append(buf, "qemu64");
    } else if (cpu->mode == VK_DOMAIN_CPU_MODE_HOST_PASSTHROUGH) {
        if (!cmd->kvm) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "CPU mode 'host-passthrough' needs KVM");
            return -1;
        }
        g_string_append(buf, "host");
        if (cpu->migratable != VK_DOMAIN_TRISTATE_ABSENT)
            g_string_append_printf(buf, ",migratable=%s",
                                   cpu->migratable == VK_DOMAIN_TRISTATE_YES ? "on" : "off");
    } else if (cpu->mode == VK_DOMAIN_CPU_MODE_HOST_MODEL) {
        /* Without a probed host CPU model to expand, the closest qemu offers: the host's
         * CPU with migratable features only under KVM, the richest emulated one under TCG. */
        g_string_append(buf, cmd->kvm ? "host,migratable=on" : "max");
    } else if (cpu->mode == VK_DOMAIN_CPU_MODE_MAXIMUM) {
        g_string_append(buf, "max");
    } else if (cpu->model) {
        vkCmdAppendEscaped(buf, cpu->model);
    } else {
        g_string_append(buf, "qemu64");
    }
    if (cpu)
        buildCPUFeatures(buf, cpu);
    if (kvmclock && kvmclock->present == VK_DOMAIN_TRISTATE_NO)
        g_string_append(buf, ",kvmclock=off");
    if (buf->len)
        buildHyperv(cmd, buf);
    if (buf->len)
        buildCPUCache(buf, cpu);
    if (buf->len == 0)
        return 0;
    vkCmdAddString(cmd, "-cpu", g_steal_pointer(&buf));
    return 0;
}

static void buildMemory(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;
    g_autoptr(GString) buf = g_string_new(NULL);

    /* Exact KiB: rounding to MiB as libvirt does would change the guest's memory. */
    g_string_append_printf(buf, "size=%lluk", def->memory);
    if (def->maxMemory)
        g_string_append_printf(buf, ",slots=%u,maxmem=%lluk", def->maxMemorySlots, def->maxMemory);
    vkCmdAddString(cmd, "-m", g_steal_pointer(&buf));
}

static int buildSMP(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;
    const vkDomainCPUDef *cpu = def->cpu;
    unsigned int sockets = def->vcpus, dies = 1, cores = 1, threads = 1;
    g_autoptr(GString) buf = g_string_new(NULL);

    if (cpu && cpu->sockets) {
        sockets = cpu->sockets;
        dies = MAX(cpu->dies, 1);
        cores = MAX(cpu->cores, 1);
        threads = MAX(cpu->threads, 1);
        if ((guint64)sockets * dies * cores * threads != def->vcpus) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "CPU topology (%u sockets, %u dies, %u cores, %u threads) does not "
                          "match the %u vCPUs",
                          sockets, dies, cores, threads, def->vcpus);
            return -1;
        }
    }
    g_string_append_printf(buf, "%u", def->vcpusCurrent ? def->vcpusCurrent : def->vcpus);
    if (def->vcpusCurrent && def->vcpusCurrent != def->vcpus)
        g_string_append_printf(buf, ",maxcpus=%u", def->vcpus);
    g_string_append_printf(buf, ",sockets=%u", sockets);
    if (dies > 1)
        g_string_append_printf(buf, ",dies=%u", dies);
    g_string_append_printf(buf, ",cores=%u,threads=%u", cores, threads);
    vkCmdAddString(cmd, "-smp", g_steal_pointer(&buf));
    return 0;
}

static void buildQMPSocket(vkCmd *cmd, const char *id, int fd, const char *path)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    g_autofree char *mon = g_strdup_printf("chardev=char%s,id=%s,mode=control", id, id);

    g_string_append_printf(buf, "socket,id=char%s,", id);
    if (fd >= 0) {
        g_string_append_printf(buf, "fd=%d", fd);
    } else {
        g_string_append(buf, "path=");
        vkCmdAppendEscaped(buf, path);
    }
    g_string_append(buf, ",server=on,wait=off");
    vkCmdAddString(cmd, "-chardev", g_steal_pointer(&buf));
    vkCmdAddPair(cmd, "-mon", mon);
}

/* The command monitor, and the events monitor: qemu serves one client per monitor, and an
 * event watcher stays connected for as long as it watches, so it gets a socket of its own and
 * never locks the driver's short command calls out (see docs/events.md). */
static void buildMonitor(vkCmd *cmd)
{
    buildQMPSocket(cmd, "monitor", cmd->rt->monitorFd, cmd->rt->monitorPath);
    if (cmd->rt->eventsFd >= 0 || cmd->rt->eventsPath)
        buildQMPSocket(cmd, "events", cmd->rt->eventsFd, cmd->rt->eventsPath);
}

/* ---- clock, lifecycle, boot ---- */

static int buildRTCBase(vkCmd *cmd, GString *buf)
{
    const vkDomainClockDef *clock = &cmd->def->clock;
    char when[64];
    struct tm tm;
    time_t t;

    switch (clock->offset) {
    case VK_DOMAIN_CLOCK_OFFSET_UTC:
        g_string_append(buf, "base=utc");
        return 0;
    case VK_DOMAIN_CLOCK_OFFSET_LOCALTIME:
    case VK_DOMAIN_CLOCK_OFFSET_TIMEZONE:
        /* For a timezone the emulator's TZ names the zone; the base is the same. */
        g_string_append(buf, "base=localtime");
        return 0;
    case VK_DOMAIN_CLOCK_OFFSET_VARIABLE:
        t = (time_t)(cmd->rt->now + clock->adjustment);
        if (clock->basis == VK_DOMAIN_CLOCK_BASIS_LOCALTIME)
            localtime_r(&t, &tm);
        else
            gmtime_r(&t, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
        g_string_append_printf(buf, "base=%s", when);
        return 0;
    default:
        vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unsupported clock offset '%s'",
                      vkDomainClockOffsetTypeToString(clock->offset));
        return -1;
    }
}

static int timerUnsupported(const vkDomainTimerDef *timer)
{
    vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unsupported %s timer setting",
                  vkDomainTimerTypeToString(timer->name));
    return -1;
}

static int buildClock(vkCmd *cmd)
{
    const vkDomainClockDef *clock = &cmd->def->clock;
    g_autoptr(GString) rtc = g_string_new(NULL);
    g_autofree char *pitPolicy = NULL;

    if (buildRTCBase(cmd, rtc) < 0)
        return -1;
    for (size_t i = 0; i < clock->ntimers; i++) {
        const vkDomainTimerDef *timer = &clock->timers[i];
        gboolean ok = TRUE;

        switch (timer->name) {
        case VK_DOMAIN_TIMER_RTC:
            if (timer->tickpolicy == VK_DOMAIN_TICKPOLICY_CATCHUP)
                g_string_append(rtc, ",driftfix=slew");
            else
                ok = timer->tickpolicy == VK_DOMAIN_TICKPOLICY_NONE ||
                     timer->tickpolicy == VK_DOMAIN_TICKPOLICY_DELAY;
            break;
        case VK_DOMAIN_TIMER_PIT:
            if (timer->tickpolicy == VK_DOMAIN_TICKPOLICY_DELAY)
                pitPolicy = g_strdup("delay");
            else if (timer->tickpolicy == VK_DOMAIN_TICKPOLICY_CATCHUP)
                pitPolicy = g_strdup("slew");
            else if (timer->tickpolicy == VK_DOMAIN_TICKPOLICY_DISCARD)
                pitPolicy = g_strdup("discard");
            else
                ok = timer->tickpolicy == VK_DOMAIN_TICKPOLICY_NONE;
            break;
        case VK_DOMAIN_TIMER_HPET:     /* -machine hpet=off */
        case VK_DOMAIN_TIMER_KVMCLOCK: /* -cpu ...,kvmclock=off */
        case VK_DOMAIN_TIMER_TSC:      /* qemu exposes the TSC in any case */
            break;
        case VK_DOMAIN_TIMER_HYPERVCLOCK: /* -cpu ...,hv-time=on */
            ok = timer->tickpolicy == VK_DOMAIN_TICKPOLICY_NONE;
            break;
        default:
            ok = FALSE;
        }
        if (!ok)
            return timerUnsupported(timer);
    }
    vkCmdAddString(cmd, "-rtc", g_steal_pointer(&rtc));
    /* The lost-tick policy belongs to the in-kernel PIT, which exists only under KVM. */
    if (pitPolicy && cmd->kvm) {
        g_autofree char *global = g_strdup_printf("kvm-pit.lost_tick_policy=%s", pitPolicy);
        vkCmdAddPair(cmd, "-global", global);
    }
    return 0;
}

static void buildLifecycle(vkCmd *cmd)
{
    /* qemu stays after a guest poweroff so that the driver sees why the guest stopped. */
    vkCmdAdd(cmd, "-no-shutdown");
    if (cmd->def->onReboot == VK_DOMAIN_LIFECYCLE_DESTROY)
        vkCmdAdd(cmd, "-no-reboot");
}

/* <pm>: the ACPI sleep states the guest is offered, on the chipset's power management device. */
static void buildPM(vkCmd *cmd)
{
    const char *pm = cmd->q35 ? "ICH9-LPC" : "PIIX4_PM";

    if (cmd->def->pmS3) {
        g_autofree char *s3 =
            g_strdup_printf("%s.disable_s3=%d", pm, cmd->def->pmS3 == VK_DOMAIN_TRISTATE_NO);
        vkCmdAddPair(cmd, "-global", s3);
    }
    if (cmd->def->pmS4) {
        g_autofree char *s4 =
            g_strdup_printf("%s.disable_s4=%d", pm, cmd->def->pmS4 == VK_DOMAIN_TRISTATE_NO);
        vkCmdAddPair(cmd, "-global", s4);
    }
}

/* <os><boot dev=.../> becomes a bootindex on the first device of each kind, in order, as
 * libvirt does: qemu's legacy -boot order= does not reach every firmware. */
static void assignBootIndexes(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;
    unsigned int next = 1;

    cmd->diskBoot = g_new0(unsigned int, def->ndisks + 1);
    cmd->netBoot = g_new0(unsigned int, def->nnets + 1);
    for (size_t i = 0; i < def->ndisks; i++)
        cmd->diskBoot[i] = def->disks[i]->info.bootIndex;
    for (size_t i = 0; i < def->nnets; i++)
        cmd->netBoot[i] = def->nets[i]->info.bootIndex;

    for (size_t b = 0; b < def->os.nBootDevs; b++) {
        int want = def->os.bootDevs[b];

        if (want == VK_DOMAIN_BOOT_NET) {
            if (def->nnets > 0 && !cmd->netBoot[0])
                cmd->netBoot[0] = next++;
            continue;
        }
        for (size_t i = 0; i < def->ndisks; i++) {
            int device = def->disks[i]->device;
            gboolean match =
                (want == VK_DOMAIN_BOOT_DISK && device == VK_DOMAIN_DISK_DEVICE_DISK) ||
                (want == VK_DOMAIN_BOOT_CDROM && device == VK_DOMAIN_DISK_DEVICE_CDROM) ||
                (want == VK_DOMAIN_BOOT_FLOPPY && device == VK_DOMAIN_DISK_DEVICE_FLOPPY);
            if (match) {
                if (!cmd->diskBoot[i])
                    cmd->diskBoot[i] = next++;
                break;
            }
        }
    }
}

static void buildBoot(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;
    g_autoptr(GString) boot = g_string_new("strict=on");

    if (def->os.bootmenu == VK_DOMAIN_TRISTATE_YES) {
        g_string_append(boot, ",menu=on");
        if (def->os.bootmenuTimeoutSet)
            g_string_append_printf(boot, ",splash-time=%u", def->os.bootmenuTimeout);
    } else if (def->os.bootmenu == VK_DOMAIN_TRISTATE_NO) {
        g_string_append(boot, ",menu=off");
    }
    vkCmdAddString(cmd, "-boot", g_steal_pointer(&boot));
    if (def->os.kernel)
        vkCmdAddPair(cmd, "-kernel", def->os.kernel);
    if (def->os.initrd)
        vkCmdAddPair(cmd, "-initrd", def->os.initrd);
    if (def->os.cmdline)
        vkCmdAddPair(cmd, "-append", def->os.cmdline);
}

/* ---- graphics ---- */

static const vkQEMUGraphicsRuntime *graphicsRuntime(const vkCmd *cmd, size_t i)
{
    static const vkQEMUGraphicsRuntime unset;

    return i < cmd->rt->ngraphics ? &cmd->rt->graphics[i] : &unset;
}

/* The address a TCP listen uses: resolved, written, or the default. */
static int listenAddress(const vkDomainGraphicsDef *g, const vkDomainGraphicsListenDef *l,
                         const vkQEMUGraphicsRuntime *rg, const char **address)
{
    *address = rg->address ? rg->address : l->address;
    if (*address)
        return 0;
    if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK) {
        vkReportError(VK_CMD_ERR, VIR_ERR_INTERNAL_ERROR,
                      "%s listen on network '%s' has no resolved address",
                      vkDomainGraphicsTypeToString(g->type), l->network);
        return -1;
    }
    *address = VK_QEMU_DEFAULT_LISTEN;
    return 0;
}

static int noPort(const vkDomainGraphicsDef *g, const char *what)
{
    vkReportError(VK_CMD_ERR, VIR_ERR_INTERNAL_ERROR, "%s graphics: no %s was allocated",
                  vkDomainGraphicsTypeToString(g->type), what);
    return -1;
}

static int buildVNC(vkCmd *cmd, const vkDomainGraphicsDef *g, const vkQEMUGraphicsRuntime *rg)
{
    const vkDomainGraphicsListenDef *l = &g->listens[0];
    g_autoptr(GString) buf = g_string_new(NULL);
    const char *address, *socket;
    int port = rg->port ? rg->port : g->port;
    int websocket = rg->websocket ? rg->websocket : g->websocket;

    switch (l->type) {
    case VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET:
        if (!(socket = rg->socket ? rg->socket : l->socket))
            return noPort(g, "socket path");
        g_string_append(buf, "unix:");
        vkCmdAppendEscaped(buf, socket);
        break;
    case VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS:
    case VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK:
        if (port <= 0)
            return noPort(g, "port");
        if (websocket < 0)
            return noPort(g, "websocket port");
        if (port < 5900) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "VNC port %d is outside the range [5900,65535]", port);
            return -1;
        }
        if (listenAddress(g, l, rg, &address) < 0)
            return -1;
        /* qemu would read the colons of a bare IPv6 address as the display separator. */
        g_string_append_printf(buf, strchr(address, ':') ? "[%s]:%d" : "%s:%d", address,
                               port - 5900);
        if (websocket > 0)
            g_string_append_printf(buf, ",websocket=%d", websocket);
        break;
    default:
        g_string_append(buf, "none");
        break;
    }
    /* The password itself is set over QMP before the guest runs. */
    if (g->passwd)
        g_string_append(buf, ",password=on");
    /* The definition's first audio backend, or (for a definition that names none) an
     * explicit silent one: either keeps qemu from probing the host's sound servers. */
    if (cmd->def->naudios > 0) {
        g_string_append_printf(buf, ",audiodev=audio%u", cmd->def->audios[0]->id);
    } else {
        g_string_append(buf, ",audiodev=audio1");
        vkCmdAddPair(cmd, "-audiodev", "none,id=audio1");
    }
    vkCmdAddString(cmd, "-vnc", g_steal_pointer(&buf));
    return 0;
}

static int buildSpice(vkCmd *cmd, const vkDomainGraphicsDef *g, const vkQEMUGraphicsRuntime *rg)
{
    const vkDomainGraphicsListenDef *l = &g->listens[0];
    g_autoptr(GString) buf = g_string_new(NULL);
    int port = rg->port ? rg->port : MAX(g->port, 0);
    int tlsPort = rg->tlsPort ? rg->tlsPort : MAX(g->tlsPort, 0);
    const char *address;

    if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NONE) {
        /* qemu wants a port or a tls-port; port 0 opens no TCP listener. */
        g_string_append(buf, "port=0");
        tlsPort = 0;
    } else {
        if (port <= 0 && tlsPort <= 0)
            return noPort(g, "port");
        if (listenAddress(g, l, rg, &address) < 0)
            return -1;
        if (port > 0)
            g_string_append_printf(buf, "port=%d,", port);
        if (tlsPort > 0)
            g_string_append_printf(buf, "tls-port=%d,", tlsPort);
        g_string_append(buf, "addr=");
        vkCmdAppendEscaped(buf, address);
    }
    /* With a password qemu refuses clients until it is set over QMP. */
    if (!g->passwd)
        g_string_append(buf, ",disable-ticketing=on");
    if (tlsPort > 0 && cmd->rt->spiceTLSDir) {
        g_string_append(buf, ",x509-dir=");
        vkCmdAppendEscaped(buf, cmd->rt->spiceTLSDir);
    }
    if (g->imageCompression >= 0)
        g_string_append_printf(buf, ",image-compression=%s",
                               vkDomainGraphicsImageTypeToString(g->imageCompression));
    vkCmdAddString(cmd, "-spice", g_steal_pointer(&buf));
    return 0;
}

int vkQEMUCommandLineValidate(const vkDomainDef *def)
{
    gboolean seen[VK_DOMAIN_GRAPHICS_TYPE_LAST] = { FALSE };

    for (size_t i = 0; i < def->ngraphics; i++) {
        int type = def->graphics[i]->type;

        if (seen[type]) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "only 1 graphics device of each type (sdl, vnc, spice, headless, dbus) "
                          "is supported");
            return -1;
        }
        seen[type] = TRUE;
    }
    return 0;
}

static int buildGraphics(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;
    const char *keymap = NULL;

    if (def->ngraphics == 0) {
        vkCmdAddPair(cmd, "-display", "none");
        return 0;
    }
    for (size_t i = 0; i < def->ngraphics; i++) {
        const vkDomainGraphicsDef *g = def->graphics[i];
        int rc;

        if (g->nlistens == 0) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "%s graphics device has no listen",
                          vkDomainGraphicsTypeToString(g->type));
            return -1;
        }
        if (g->type == VK_DOMAIN_GRAPHICS_TYPE_VNC)
            rc = buildVNC(cmd, g, graphicsRuntime(cmd, i));
        else
            rc = buildSpice(cmd, g, graphicsRuntime(cmd, i));
        if (rc < 0)
            return -1;
        if (!keymap)
            keymap = g->keymap;
    }
    if (keymap)
        vkCmdAddPair(cmd, "-k", keymap);
    return 0;
}

/* ---- audio ---- */

static void buildAudio(vkCmd *cmd)
{
    for (size_t i = 0; i < cmd->def->naudios; i++) {
        const vkDomainAudioDef *audio = cmd->def->audios[i];
        g_autofree char *id = g_strdup_printf("audio%u", audio->id);
        json_object *obj = json_object_new_object();

        vkJSONAddStr(obj, "id", id);
        vkJSONAddStr(obj, "driver", vkDomainAudioTypeToString(audio->type));
        vkCmdAddJSON(cmd, "-audiodev", obj);
    }
}

/* ---- the whole command line ---- */

static int buildDevices(vkCmd *cmd)
{
    if (vkCmdBuildControllers(cmd) < 0 || vkCmdBuildDisks(cmd) < 0 || vkCmdBuildNets(cmd) < 0 ||
        vkCmdBuildChrs(cmd) < 0 || vkCmdBuildTPMs(cmd) < 0 || vkCmdBuildInputs(cmd) < 0)
        return -1;
    buildAudio(cmd);
    if (buildGraphics(cmd) < 0 || vkCmdBuildVideos(cmd) < 0 || vkCmdBuildSounds(cmd) < 0 ||
        vkCmdBuildRedirdevs(cmd) < 0 || vkCmdBuildBalloon(cmd) < 0 || vkCmdBuildRNGs(cmd) < 0)
        return -1;
    return 0;
}

static int buildAll(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;
    const char *emulator = cmd->rt->emulator ? cmd->rt->emulator : def->emulator;
    char uuid[VIR_UUID_STRING_BUFLEN];
    g_autoptr(GString) name = g_string_new("guest=");

    if (!cmd->rt->monitorPath && cmd->rt->monitorFd < 0) {
        vkReportError(VK_CMD_ERR, VIR_ERR_INTERNAL_ERROR, "%s", "no QMP monitor socket given");
        return -1;
    }
    vkCmdAdd(cmd, emulator ? emulator : VK_QEMU_DEFAULT_EMULATOR);
    vkCmdAppendEscaped(name, def->name);
    g_string_append(name, ",debug-threads=on");
    vkCmdAddString(cmd, "-name", g_steal_pointer(&name));
    /* The guest runs only once the driver has finished setting it up over QMP. */
    vkCmdAdd(cmd, "-S");
    if (buildMachine(cmd) < 0 || buildCPU(cmd) < 0)
        return -1;
    buildMemory(cmd);
    if (buildSMP(cmd) < 0)
        return -1;
    vkUUIDFormat(def->uuid, uuid);
    vkCmdAddPair(cmd, "-uuid", uuid);
    vkCmdAdd(cmd, "-no-user-config");
    vkCmdAdd(cmd, "-nodefaults");
    buildMonitor(cmd);
    if (buildClock(cmd) < 0)
        return -1;
    buildLifecycle(cmd);
    buildPM(cmd);
    buildBoot(cmd);
    if (buildDevices(cmd) < 0)
        return -1;
    if (cmd->rt->incoming)
        vkCmdAddPair(cmd, "-incoming", cmd->rt->incoming);
    return 0;
}

GStrv vkQEMUBuildCommandLine(const vkDomainDef *def, const vkQEMURuntime *rt,
                             const vkQEMUCaps *caps)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    vkCmd cmd = {
        .args = args,
        .def = def,
        .rt = rt,
        .machine = vkQEMUMachineName(def, caps),
    };
    int rc;

    if (vkQEMUCommandLineValidate(def) < 0)
        return NULL;
    cmd.q35 = strstr(cmd.machine, "q35") != NULL;
    assignBootIndexes(&cmd);
    rc = buildAll(&cmd);
    g_free(cmd.diskBoot);
    g_free(cmd.netBoot);
    if (rc < 0)
        return NULL;
    g_ptr_array_add(args, NULL);
    return (GStrv)g_ptr_array_steal(args, NULL);
}
