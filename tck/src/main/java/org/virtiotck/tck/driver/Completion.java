package org.virtiotck.tck.driver;

import org.virtiotck.spec.Blk;

/**
 * What came back for one request.
 *
 * @param head      the chain head the driver made available
 * @param usedId    the id the device wrote in the used element
 * @param usedLen   the len the device wrote in the used element
 * @param status    the status byte (last writable byte), or -1 if the request did not complete
 * @param in        the device-writable data area as it is after completion
 * @param writableBytes size of the device-writable part of the chain (data + status)
 */
public record Completion(int head, int usedId, int usedLen, int status, byte[] in, int writableBytes) {

    public boolean ok() {
        return status == Blk.S_OK;
    }

    public String statusName() {
        return status < 0 ? "none" : Blk.statusName(status);
    }

    @Override
    public String toString() {
        return "Completion[status=" + statusName() + ", used id=" + usedId + " len=" + usedLen + ", writable="
                + writableBytes + "]";
    }
}
