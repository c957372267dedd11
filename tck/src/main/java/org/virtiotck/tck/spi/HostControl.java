package org.virtiotck.tck.spi;

/** Host-side actions a test may need and a guest driver could not do itself. */
public interface HostControl {

    /** Changes the disk size behind the device's back, as an administrator resizing the image would. */
    void resizeCapacity(long sectors);

    /** Reads the backing disk directly, bypassing the device, for integrity oracles. */
    byte[] readDisk(long byteOffset, int length);

    /** Size of the backing disk in bytes. */
    long diskBytes();
}
