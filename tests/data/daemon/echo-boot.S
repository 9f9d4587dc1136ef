/* A boot sector for console tests: sets COM1 up (115200 8N1), prints a banner, then echoes
 * every byte it receives upper-cased, so a test sees its bytes went through the guest. It
 * sleeps (hlt, woken by the BIOS timer) between polls rather than spinning on the port.
 * Assembled with GNU as: as --32 -o boot.o echo-boot.S;
 * ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o boot.img boot.o */
.code16
.globl _start
_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %ss
    mov $0x7c00, %sp
    sti
    mov $0x3f9, %dx
    xor %al, %al
    out %al, %dx
    mov $0x3fb, %dx
    mov $0x80, %al
    out %al, %dx
    mov $0x3f8, %dx
    mov $1, %al
    out %al, %dx
    mov $0x3f9, %dx
    xor %al, %al
    out %al, %dx
    mov $0x3fb, %dx
    mov $3, %al
    out %al, %dx
    mov $0x3fa, %dx
    mov $0xc7, %al
    out %al, %dx
    mov $0x3fc, %dx
    mov $0x0b, %al
    out %al, %dx
    mov $banner, %si
print:
    lodsb
    test %al, %al
    jz echo
    call putc
    jmp print
echo:
    mov $0x3fd, %dx
rx:
    in %dx, %al
    test $1, %al
    jnz got
    hlt
    jmp rx
got:
    mov $0x3f8, %dx
    in %dx, %al
    cmp $'a', %al
    jb send
    cmp $'z', %al
    ja send
    sub $32, %al
send:
    call putc
    jmp echo
putc:
    push %ax
    mov $0x3fd, %dx
tx:
    in %dx, %al
    test $0x20, %al
    jz tx
    pop %ax
    mov $0x3f8, %dx
    out %al, %dx
    ret
banner:
    .asciz "VKCONSOLE READY\r\n"
    .org 510
    .word 0xaa55
