/* The remote driver: libvirt's calls over libvirt's wire protocol to virtkitd or libvirtd, for
 * DRIVER+unix, DRIVER+tcp and DRIVER+tls URIs (qemu+unix:///system?socket=PATH, ...). */
#pragma once

#include "driver.h"

extern const vkConnectDriver vkRemoteConnectDriver;
