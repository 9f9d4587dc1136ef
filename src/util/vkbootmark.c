/* Once-per-boot marks: the boot id in a file, with a word when only an unprivileged pass ran. */
#include "vkbootmark.h"

#include "vkerror.h"
#include "vkfile.h"

#define BOOT_ID_FILE      "/proc/sys/kernel/random/boot_id"
#define UNPRIVILEGED_WORD "unprivileged"

char *vkBootIdRead(void)
{
    g_autofree char *text = NULL;

    if (vkFileReadAll(BOOT_ID_FILE, &text, NULL) < 0) {
        vkResetLastError();
        return g_strdup("unknown");
    }
    return g_strdup(g_strstrip(text));
}

vkBootMarkPass vkBootMarkRead(const char *path, const char *bootId)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) words = NULL;

    if (vkFileReadIfExists(path, &text, NULL) < 0) {
        vkResetLastError();
        return VK_BOOT_MARK_NONE;
    }
    if (!text)
        return VK_BOOT_MARK_NONE;
    words = g_strsplit(g_strstrip(text), " ", 2);
    if (!words[0] || !g_str_equal(words[0], bootId))
        return VK_BOOT_MARK_NONE;
    return words[1] && g_str_equal(words[1], UNPRIVILEGED_WORD) ? VK_BOOT_MARK_UNPRIVILEGED
                                                                : VK_BOOT_MARK_FULL;
}

int vkBootMarkWrite(const char *path, const char *bootId, gboolean privileged)
{
    g_autofree char *text =
        g_strdup_printf("%s%s\n", bootId, privileged ? "" : " " UNPRIVILEGED_WORD);

    return vkFileWriteRunState(path, text, -1, 0600);
}

gboolean vkBootMarkDone(vkBootMarkPass done, gboolean privileged)
{
    return done == VK_BOOT_MARK_FULL || (done == VK_BOOT_MARK_UNPRIVILEGED && !privileged);
}
