/* UUIDs: 16 raw bytes; parsed from either spelling, printed in the canonical form. */
#pragma once

#include <glib.h>
#include "virtkit/virtkit.h"

/* Accepts 32 hex digits, with or without dashes between groups, surrounding blanks allowed. */
int vkUUIDParse(const char *str, unsigned char *uuid);
/* Writes the lower-case 8-4-4-4-12 form into buf (VIR_UUID_STRING_BUFLEN bytes). */
void vkUUIDFormat(const unsigned char *uuid, char *buf);
/* A random (version 4) UUID. */
void vkUUIDGenerate(unsigned char *uuid);
gboolean vkUUIDIsNull(const unsigned char *uuid);
