/* The qemu:/// connection driver: embedded (qemu:///embed?root=DIR), per user (qemu:///session)
 * and system-wide (qemu:///system), with the host network driver beside it. */
#pragma once

#include "driver.h"

extern const vkConnectDriver vkQemuConnectDriver;
