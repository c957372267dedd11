package org.virtiotck.tck.adapter.hvf;

import java.lang.foreign.MemorySegment;

/**
 * The narrow slice of Hypervisor.framework (arm64) the HVF target uses. {@link HypervisorFramework} is the real
 * thing (macOS on Apple Silicon only); {@link SimulatedHvf} interprets the stub's few instructions so the VMM logic
 * of {@link HvfMachine} runs and is tested anywhere.
 *
 * <p>Like the real framework, every vCPU call must come from the thread that created the vCPU.
 */
public interface HvfPlatform extends AutoCloseable {
    int EXIT_CANCELED = 0;
    int EXIT_EXCEPTION = 1;
    int EXIT_VTIMER_ACTIVATED = 2;
    int EXIT_UNKNOWN = 3;

    int MEMORY_READ = 1;
    int MEMORY_WRITE = 2;
    int MEMORY_EXEC = 4;

    /** hv_reg_t numbering: X0-X30 are 0-30. */
    int REG_PC = 31;
    int REG_CPSR = 34;

    /** hv_vcpu_exit_t: the reason and, for exceptions, the syndrome (ESR_EL2), faulting VA and IPA. */
    record Exit(int reason, long syndrome, long virtualAddress, long physicalAddress) {}

    /** A short name for reports ("Hypervisor.framework", "simulated"). */
    String name();

    void vmCreate();

    /** hv_vm_map: {@code host} (page aligned) appears at {@code ipa}. */
    void vmMap(MemorySegment host, long ipa, int flags);

    long vcpuCreate();

    Exit vcpuRun(long vcpu);

    long getReg(long vcpu, int reg);

    void setReg(long vcpu, int reg, long value);

    /** hv_vcpu_set_pending_interrupt(HV_INTERRUPT_TYPE_IRQ). */
    void setPendingIrq(long vcpu, boolean pending);

    void vcpuDestroy(long vcpu);

    void vmDestroy();

    @Override
    default void close() {
        vmDestroy();
    }
}
