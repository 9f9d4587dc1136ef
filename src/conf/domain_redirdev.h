/* <redirdev>: USB devices of a SPICE client redirected into the guest. */
#pragma once

#include "conf/domain_common.h"

/* Only bus='usb' with a spicevmc channel is modelled: the redirection SPICE clients use. */
typedef struct {
    vkDomainDeviceInfo info; /* with its <boot order=...> */
} vkDomainRedirdevDef;

void vkDomainRedirdevDefFree(vkDomainRedirdevDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainRedirdevDef, vkDomainRedirdevDefFree)
