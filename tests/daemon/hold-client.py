#!/usr/bin/python3
# A python3-libvirt client that holds a connection to URI and keeps calling until the
# connection breaks, then prints how it broke: "closed CODE MESSAGE" (exit 0) for a libvirt
# error, anything else is a failure. Prints "ready" once connected.
# usage: hold-client.py URI
import sys
import time

import libvirt


def main():
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    conn = libvirt.open(sys.argv[1])
    conn.listAllDomains()
    print("ready", flush=True)
    while True:
        try:
            conn.getLibVersion()
            conn.listAllDomains()
        except libvirt.libvirtError as e:
            print("closed %d %s" % (e.get_error_code(), e.get_error_message()), flush=True)
            return 0
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
