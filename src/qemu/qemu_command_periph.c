/* The command line of peripheral devices: sound cards and their codecs, USB redirection from
 * SPICE clients, and random number generators with their backends. */
#include "qemu_command_priv.h"

/* ---- sound ---- */

/* The -audiodev a sound card plays through: the one its <audio id> names, else the first. */
static char *audioId(const vkDomainDef *def, unsigned int id)
{
    if (id)
        return g_strdup_printf("audio%u", id);
    return def->naudios ? g_strdup_printf("audio%u", def->audios[0]->id) : NULL;
}

int vkCmdBuildSounds(vkCmd *cmd)
{
    static const char *const drivers[VK_DOMAIN_SOUND_MODEL_LAST] = {
        [VK_DOMAIN_SOUND_MODEL_ES1370] = "ES1370",
        [VK_DOMAIN_SOUND_MODEL_AC97] = "AC97",
        [VK_DOMAIN_SOUND_MODEL_ICH6] = "intel-hda",
        [VK_DOMAIN_SOUND_MODEL_ICH9] = "ich9-intel-hda",
    };
    static const char *const codecs[VK_DOMAIN_SOUND_CODEC_LAST] = { "hda-duplex", "hda-micro",
                                                                    "hda-output" };
    const vkDomainDef *def = cmd->def;

    for (size_t i = 0; i < def->nsounds; i++) {
        const vkDomainSoundDef *sound = def->sounds[i];
        g_autofree char *generated = g_strdup_printf("sound%zu", i);
        const char *alias = sound->info.alias ? sound->info.alias : generated;
        g_autofree char *audio = audioId(def, sound->audioId);
        g_autofree char *bus = g_strdup_printf("%s.0", alias);
        gboolean hda = vkDomainSoundModelHasCodecs(sound->model);
        json_object *dev;

        if (!drivers[sound->model]) {
            vkReportError(VK_CMD_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "sound card model '%s' is not supported",
                          vkDomainSoundModelTypeToString(sound->model));
            return -1;
        }
        dev = vkJSONDevice(drivers[sound->model]);
        vkJSONAddStr(dev, "id", alias);
        /* An HD audio controller plays through its codecs. */
        if (!hda && audio)
            vkJSONAddStr(dev, "audiodev", audio);
        if (vkCmdAddPCIDevice(cmd, dev, &sound->info) < 0)
            return -1;
        for (size_t c = 0; hda && c < MAX(sound->ncodecs, 1); c++) {
            int type = sound->ncodecs ? sound->codecs[c] : VK_DOMAIN_SOUND_CODEC_DUPLEX;
            g_autofree char *codecId = g_strdup_printf("%s-codec%zu", alias, c);
            json_object *codec = vkJSONDevice(codecs[type]);

            vkJSONAddStr(codec, "id", codecId);
            vkJSONAddStr(codec, "bus", bus);
            vkJSONAddInt(codec, "cad", c);
            if (audio)
                vkJSONAddStr(codec, "audiodev", audio);
            vkCmdAddJSON(cmd, "-device", codec);
        }
    }
    return 0;
}

/* ---- USB redirection ---- */

int vkCmdBuildRedirdevs(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;

    for (size_t i = 0; i < def->nredirdevs; i++) {
        const vkDomainRedirdevDef *redir = def->redirdevs[i];
        g_autofree char *generated = g_strdup_printf("redir%zu", i);
        const char *alias = redir->info.alias ? redir->info.alias : generated;
        g_autoptr(GString) chardev = g_string_new("spicevmc,id=char");
        g_autofree char *charId = g_strconcat("char", alias, NULL);
        json_object *dev;

        vkCmdAppendEscaped(chardev, alias);
        g_string_append(chardev, ",name=usbredir");
        vkCmdAddString(cmd, "-chardev", g_steal_pointer(&chardev));
        dev = vkJSONDevice("usb-redir");
        vkJSONAddStr(dev, "chardev", charId);
        vkJSONAddStr(dev, "id", alias);
        vkCmdAddUSBAddress(cmd, dev, &redir->info);
        if (redir->info.bootIndex)
            vkJSONAddInt(dev, "bootindex", redir->info.bootIndex);
        vkCmdAddJSON(cmd, "-device", dev);
    }
    return 0;
}

/* ---- random number generators ---- */

static void buildRNGBackend(vkCmd *cmd, const vkDomainRNGDef *rng, const char *alias,
                            const char *objId)
{
    json_object *obj = json_object_new_object();

    switch (rng->backend) {
    case VK_DOMAIN_RNG_BACKEND_RANDOM:
        vkJSONAddStr(obj, "qom-type", "rng-random");
        vkJSONAddStr(obj, "id", objId);
        vkJSONAddStr(obj, "filename", rng->file);
        break;
    case VK_DOMAIN_RNG_BACKEND_EGD: {
        g_autoptr(GString) chardev = g_string_new("socket,id=char");
        g_autofree char *charId = g_strconcat("char", alias, NULL);

        vkCmdAppendEscaped(chardev, alias);
        g_string_append(chardev, ",path=");
        vkCmdAppendEscaped(chardev, rng->egdPath);
        if (rng->egdListen)
            g_string_append(chardev, ",server=on,wait=off");
        vkCmdAddString(cmd, "-chardev", g_steal_pointer(&chardev));
        vkJSONAddStr(obj, "qom-type", "rng-egd");
        vkJSONAddStr(obj, "id", objId);
        vkJSONAddStr(obj, "chardev", charId);
        break;
    }
    default:
        vkJSONAddStr(obj, "qom-type", "rng-builtin");
        vkJSONAddStr(obj, "id", objId);
        break;
    }
    vkCmdAddJSON(cmd, "-object", obj);
}

int vkCmdBuildRNGs(vkCmd *cmd)
{
    static const char *const drivers[VK_DOMAIN_RNG_MODEL_LAST] = {
        "virtio-rng-pci", "virtio-rng-pci-transitional", "virtio-rng-pci-non-transitional"
    };
    const vkDomainDef *def = cmd->def;

    for (size_t i = 0; i < def->nrngs; i++) {
        const vkDomainRNGDef *rng = def->rngs[i];
        g_autofree char *generated = g_strdup_printf("rng%zu", i);
        const char *alias = rng->info.alias ? rng->info.alias : generated;
        g_autofree char *objId = g_strconcat("obj", alias, NULL);
        json_object *dev;

        buildRNGBackend(cmd, rng, alias, objId);
        dev = vkJSONDevice(drivers[rng->model]);
        vkJSONAddStr(dev, "rng", objId);
        vkJSONAddStr(dev, "id", alias);
        if (rng->rate) {
            vkJSONAddInt(dev, "max-bytes", rng->rate);
            if (rng->period)
                vkJSONAddInt(dev, "period", rng->period);
        }
        if (vkCmdAddPCIDevice(cmd, dev, &rng->info) < 0)
            return -1;
    }
    return 0;
}

/* A TPM: swtpm's control socket (the driver started swtpm) or a host device, then the TPM
 * device on top, as libvirt names them. */
int vkCmdBuildTPMs(vkCmd *cmd)
{
    const vkDomainDef *def = cmd->def;

    for (size_t i = 0; i < def->ntpms; i++) {
        const vkDomainTPMDef *tpm = def->tpms[i];
        g_autofree char *generated = g_strdup_printf("tpm%zu", i);
        const char *alias = tpm->info.alias ? tpm->info.alias : generated;
        g_autoptr(GString) backend = g_string_new(NULL);
        json_object *dev;

        switch (tpm->type) {
        case VK_DOMAIN_TPM_TYPE_EMULATOR:
        case VK_DOMAIN_TPM_TYPE_EXTERNAL: {
            const char *sock =
                tpm->type == VK_DOMAIN_TPM_TYPE_EMULATOR ? cmd->rt->tpmSocket : tpm->path;
            g_autoptr(GString) chr = g_string_new("socket,id=chrtpm,path=");

            if (!sock) {
                vkReportError(VK_CMD_ERR, VIR_ERR_INTERNAL_ERROR, "%s",
                              "no swtpm socket for the emulated TPM");
                return -1;
            }
            vkCmdAppendEscaped(chr, sock);
            vkCmdAddString(cmd, "-chardev", g_steal_pointer(&chr));
            g_string_append_printf(backend, "emulator,id=tpm-%s,chardev=chrtpm", alias);
            break;
        }
        default: {
            g_autofree char *base = g_path_get_basename(tpm->path);

            g_string_append_printf(backend, "passthrough,id=tpm-%s,path=", alias);
            vkCmdAppendEscaped(backend, tpm->path);
            g_string_append_printf(backend, ",cancel-path=/sys/class/tpm/%s/device/cancel", base);
            break;
        }
        }
        vkCmdAddString(cmd, "-tpmdev", g_steal_pointer(&backend));
        dev = vkJSONDevice(vkDomainTPMModelTypeToString(tpm->model));
        g_autofree char *tpmdev = g_strdup_printf("tpm-%s", alias);
        vkJSONAddStr(dev, "tpmdev", tpmdev);
        vkJSONAddStr(dev, "id", alias);
        vkCmdAddJSON(cmd, "-device", dev);
    }
    return 0;
}
