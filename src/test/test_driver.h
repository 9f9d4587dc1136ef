/* The test:/// driver: an in-memory hypervisor with libvirt's default objects, no host effects. */
#pragma once

#include "driver.h"

extern const vkConnectDriver vkTestConnectDriver;
