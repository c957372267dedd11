package org.virtiotck.tck.adapter.kvm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The handful of libc calls the KVM adapter needs (open, close, ioctl, mmap, munmap, strerror), bound with the FFM
 * API. Every call captures errno so a failed ioctl can say why.
 */
final class LinuxSys {
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MAP_PRIVATE = 2;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            CAPTURE, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), CAPTURE);
    private static final MethodHandle IOCTL_LONG = bind("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG), CAPTURE, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_PTR = bind("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS), CAPTURE, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), CAPTURE);
    private static final MethodHandle MUNMAP = bind("munmap",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle STRERROR = bind("strerror",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    /** One errno capture buffer per thread: the vCPU loop calls ioctl millions of times. */
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.global().allocate(CALL_STATE));

    private LinuxSys() {}

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** A failed system call: the call, its errno and the message strerror gives for it. */
    static final class SysError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int errno;

        SysError(String call, int errno) {
            super(call + " failed: " + strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            return p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = STATE.get();
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(path), flags);
            if (fd < 0) {
                throw new SysError("open(" + path + ")", errno(st));
            }
            return fd;
        } catch (SysError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(STATE.get(), fd);
        } catch (Throwable t) {
            // closing is best effort
        }
    }

    /** ioctl with an integer (or no) argument; returns the result, throws on -1. */
    static int ioctl(int fd, long request, long arg, String what) {
        return orThrow(call(st -> (int) IOCTL_LONG.invokeExact(st, fd, request, arg)), what);
    }

    /** ioctl with a pointer argument; returns the result, throws on -1. */
    static int ioctl(int fd, long request, MemorySegment arg, String what) {
        return orThrow(call(st -> (int) IOCTL_PTR.invokeExact(st, fd, request, arg)), what);
    }

    /** ioctl returning -errno instead of throwing (for KVM_RUN, where EINTR/EAGAIN are ordinary). */
    static int ioctlRaw(int fd, long request, long arg) {
        return call(st -> (int) IOCTL_LONG.invokeExact(st, fd, request, arg));
    }

    /** One libc call that captures errno into the state segment it is given. */
    @FunctionalInterface
    private interface ErrnoCall {
        int invoke(MemorySegment state) throws Throwable;
    }

    /** Runs {@code c}; its result, or -errno when it returned a negative value. */
    private static int call(ErrnoCall c) {
        MemorySegment st = STATE.get();
        int r;
        try {
            r = c.invoke(st);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return r < 0 ? -errno(st) : r;
    }

    private static int orThrow(int r, String what) {
        if (r < 0) {
            throw new SysError(what, -r);
        }
        return r;
    }

    static MemorySegment mmap(long length, int prot, int flags, int fd, long offset, String what) {
        MemorySegment st = STATE.get();
        MemorySegment p;
        try {
            p = (MemorySegment) MMAP.invokeExact(st, MemorySegment.NULL, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (p.address() == -1L) {
            throw new SysError("mmap(" + what + ")", errno(st));
        }
        return p.reinterpret(length);
    }

    static void munmap(MemorySegment p) {
        try {
            int ignored = (int) MUNMAP.invokeExact(p, p.byteSize());
        } catch (Throwable t) {
            // best effort
        }
    }
}
