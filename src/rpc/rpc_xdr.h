/* The generated XDR codecs (rpcgen, from rpc_protocol.x) and the few helpers around them. */
#pragma once

#include <rpc/rpc.h>

#include "rpc_protocol.h"

/* Releases what a decode allocated inside OBJ (a struct of the codec's type) and zeroes it,
 * so that the struct can be reused or go out of scope. Safe on a zeroed struct. */
void vkRpcXdrFree(xdrproc_t codec, void *obj, size_t size);
