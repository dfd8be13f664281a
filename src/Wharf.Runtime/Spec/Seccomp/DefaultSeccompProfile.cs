using Wharf.Oci.Runtime;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec.Seccomp;

/// <summary>
/// Docker's default seccomp profile, written as data here: deny with EPERM (errno 1) by
/// default, allow the common syscalls, and open further groups only when the container
/// holds the capability that makes them safe (e.g. <c>mount</c> with CAP_SYS_ADMIN). Names a
/// kernel or libseccomp does not know are skipped by runc, so the list may run ahead of the host.
/// </summary>
internal static class DefaultSeccompProfile
{
    private const string Allow = "SCMP_ACT_ALLOW";

    /// <summary>Allowed for every container on every arch.</summary>
    private const string Common = """
        accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod chown chown32
        clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime clock_gettime64
        clock_nanosleep clock_nanosleep_time64 close close_range connect copy_file_range creat dup dup2 dup3
        epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait
        epoll_wait_old eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 fadvise64
        fadvise64_64 fallocate fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown fchown32 fchownat fcntl
        fcntl64 fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstat64 fstatat64
        fstatfs fstatfs64 fsync ftruncate ftruncate64 futex futex_requeue futex_time64 futex_wait
        futex_waitv futex_wake futimesat getcpu getcwd getdents getdents64 getegid getegid32 geteuid
        geteuid32 getgid getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp getpid getppid
        getpriority getrandom getresgid getresgid32 getresuid getresuid32 getrlimit get_robust_list
        getrusage getsid getsockname getsockopt get_thread_area gettid gettimeofday getuid getuid32 getxattr
        getxattrat inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl io_destroy
        io_getevents io_pgetevents io_pgetevents_time64 ioprio_get ioprio_set io_setup io_submit ipc kill
        landlock_add_rule landlock_create_ruleset landlock_restrict_self lchown lchown32 lgetxattr link
        linkat listen listmount listxattr listxattrat llistxattr _llseek lremovexattr lseek lsetxattr lstat
        lstat64 madvise map_shadow_stack membarrier memfd_create memfd_secret mincore mkdir mkdirat mknod
        mknodat mlock mlock2 mlockall mmap mmap2 mprotect mq_getsetattr mq_notify mq_open mq_timedreceive
        mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink mremap mseal msgctl msgget msgrcv
        msgsnd msync munlock munlockall munmap name_to_handle_at nanosleep newfstatat _newselect open openat
        openat2 pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll
        ppoll_time64 prctl pread64 preadv preadv2 prlimit64 process_mrelease pselect6 pselect6_time64
        pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv recv recvfrom recvmmsg
        recvmmsg_time64 recvmsg remap_file_pages removexattr removexattrat rename renameat renameat2
        restart_syscall riscv_hwprobe rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo
        rt_sigreturn rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo
        sched_getaffinity sched_getattr sched_getparam sched_get_priority_max sched_get_priority_min
        sched_getscheduler sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity
        sched_setattr sched_setparam sched_setscheduler sched_yield seccomp select semctl semget semop
        semtimedop semtimedop_time64 send sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32
        setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 setitimer setpgid setpriority setregid
        setregid32 setresgid setresgid32 setresuid setresuid32 setreuid setreuid32 setrlimit set_robust_list
        setsid setsockopt set_thread_area set_tid_address setuid setuid32 setxattr setxattrat shmat shmctl
        shmdt shmget shutdown sigaltstack signalfd signalfd4 sigprocmask sigreturn socketcall socketpair
        splice stat stat64 statfs statfs64 statmount statx symlink symlinkat sync sync_file_range syncfs
        sysinfo tee tgkill time timer_create timer_delete timer_getoverrun timer_gettime timer_gettime64
        timer_settime timer_settime64 timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime
        timerfd_settime64 times tkill truncate truncate64 ugetrlimit umask uname unlink unlinkat uretprobe
        utime utimensat utimensat_time64 utimes vfork vmsplice wait4 waitid waitpid write writev
        """;

    public static SeccompProfile Profile { get; } = Build();

    private static SeccompProfile Build()
    {
        List<SeccompRule> rules =
        [
            Rule(Common),
            Rule("process_vm_readv process_vm_writev ptrace") with { Includes = new() { MinKernel = "4.8" } },

            // socket: every address family except AF_VSOCK (40) is allowed; the three rules
            // together say "family != 40" since seccomp args compare one value at a time.
            Rule("socket", Arg(0, 38, "SCMP_CMP_LT")),
            Rule("socket", Arg(0, 39, "SCMP_CMP_EQ")),
            Rule("socket", Arg(0, 40, "SCMP_CMP_GT")),

            // personality: only the harmless personas (PER_LINUX, PER_LINUX32, UNAME26 variants, query).
            Rule("personality", Arg(0, 0x0, "SCMP_CMP_EQ")),
            Rule("personality", Arg(0, 0x0008, "SCMP_CMP_EQ")),
            Rule("personality", Arg(0, 0x20000, "SCMP_CMP_EQ")),
            Rule("personality", Arg(0, 0x20008, "SCMP_CMP_EQ")),
            Rule("personality", Arg(0, 0xffffffff, "SCMP_CMP_EQ")),

            OnArches("sync_file_range2 swapcontext", "ppc64le"),
            OnArches("arm_fadvise64_64 arm_sync_file_range sync_file_range2 breakpoint cacheflush set_tls", "arm", "arm64"),
            OnArches("arch_prctl", "amd64", "x32"),
            OnArches("modify_ldt", "amd64", "x32", "x86"),
            OnArches("s390_pci_mmio_read s390_pci_mmio_write s390_runtime_instr", "s390", "s390x"),
            OnArches("riscv_flush_icache", "riscv64"),

            WithCap("open_by_handle_at", "CAP_DAC_READ_SEARCH"),
            WithCap(
                "bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie lsm_get_self_attr " +
                "lsm_list_modules lsm_set_self_attr mount mount_setattr move_mount open_tree perf_event_open quotactl " +
                "quotactl_fd setdomainname sethostname setns syslog umount umount2 unshare",
                "CAP_SYS_ADMIN"),

            // Without CAP_SYS_ADMIN, clone may not create namespaces: the mask is every CLONE_NEW*
            // flag (0x7E020000), which must all be clear. s390 swaps clone's first two arguments.
            Rule("clone", Arg(0, CloneNamespaceFlags, "SCMP_CMP_MASKED_EQ")) with
            {
                Excludes = new() { Caps = ["CAP_SYS_ADMIN"], Arches = ["s390", "s390x"] },
            },
            Rule("clone", Arg(1, CloneNamespaceFlags, "SCMP_CMP_MASKED_EQ")) with
            {
                Includes = new() { Arches = ["s390", "s390x"] },
                Excludes = new() { Caps = ["CAP_SYS_ADMIN"] },
            },

            // clone3 passes flags in memory seccomp cannot inspect, so it answers ENOSYS (38)
            // and libc falls back to clone, which the rule above can check.
            new SeccompRule { Names = ["clone3"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 38, Excludes = new() { Caps = ["CAP_SYS_ADMIN"] } },

            WithCap("reboot", "CAP_SYS_BOOT"),
            WithCap("chroot", "CAP_SYS_CHROOT"),
            WithCap("delete_module init_module finit_module", "CAP_SYS_MODULE"),
            WithCap("acct", "CAP_SYS_PACCT"),
            WithCap("kcmp pidfd_getfd process_madvise process_vm_readv process_vm_writev ptrace", "CAP_SYS_PTRACE"),
            WithCap("iopl ioperm", "CAP_SYS_RAWIO"),
            WithCap("settimeofday stime clock_settime clock_settime64", "CAP_SYS_TIME"),
            WithCap("vhangup", "CAP_SYS_TTY_CONFIG"),
            WithCap("get_mempolicy mbind set_mempolicy set_mempolicy_home_node", "CAP_SYS_NICE"),
            WithCap("syslog", "CAP_SYSLOG"),
            WithCap("bpf", "CAP_BPF"),
            WithCap("perf_event_open", "CAP_PERFMON"),
        ];

        return new SeccompProfile
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = 1,
            ArchMap =
            [
                Arch("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                Arch("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"),
                Arch("SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"),
                Arch("SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64"),
                Arch("SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32"),
                Arch("SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64"),
                Arch("SCMP_ARCH_S390X", "SCMP_ARCH_S390"),
                Arch("SCMP_ARCH_RISCV64"),
                Arch("SCMP_ARCH_LOONGARCH64"),
            ],
            Syscalls = rules,
        };
    }

    private const ulong CloneNamespaceFlags = 0x7E020000;

    private static SeccompRule Rule(string names, params LinuxSeccompArg[] args) => new()
    {
        Names = names.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        Action = Allow,
        Args = args.Length == 0 ? null : args,
    };

    private static SeccompRule OnArches(string names, params string[] arches) => Rule(names) with { Includes = new() { Arches = arches } };

    private static SeccompRule WithCap(string names, string cap) => Rule(names) with { Includes = new() { Caps = [cap] } };

    private static LinuxSeccompArg Arg(uint index, ulong value, string op) => new() { Index = index, Value = value, Op = op };

    private static SeccompArchMapEntry Arch(string arch, params string[] sub) => new() { Architecture = arch, SubArchitectures = sub };
}
