/* The hello-world seed image's only program: a static binary with no libc, so the image is a
 * few kilobytes. Raw Linux x86_64 syscalls: write(1, msg, len) then exit(0). */
static const char msg[] =
    "\n"
    "Hello from Wharf!\n"
    "This message shows that your installation appears to be working correctly.\n"
    "\n"
    "To generate this message, Wharf took the following steps:\n"
    " 1. The wharf (or docker) client contacted the wharfd daemon over its unix socket.\n"
    " 2. wharfd found the \"hello-world\" image in its local store, built on this machine\n"
    "    without any download.\n"
    " 3. wharfd created a new container from that image, running this program through\n"
    "    an OCI runtime (runc), on an overlayfs snapshot of the image's layers.\n"
    " 4. wharfd streamed this output to the client, which sent it to your terminal.\n"
    "\n"
    "To try something more ambitious, run a shell in a busybox container:\n"
    " $ wharf run -it busybox sh\n"
    "\n";

void _start(void) {
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(1), "D"(1), "S"(msg), "d"(sizeof(msg) - 1) : "rcx", "r11", "memory");
    __asm__ volatile("syscall" : : "a"(60), "D"(0) : "rcx", "r11", "memory");
    for (;;) {
    }
}
