package org.convinit.io;

/**
 * How checkpoints are read.
 *
 * @param verifyChecksums check every zip record of a {@code .pth} or {@code .npz} against its CRC-32
 *     as it is read (on by default; a mismatch is a {@link CheckpointException} with reason
 *     {@link CheckpointException.Reason#CHECKSUM} naming the record and the tensor). Turn it off only
 *     to salvage a file known to be damaged. safetensors, {@code .npy} and legacy {@code .pth} files
 *     carry no checksum: damage in their data cannot be detected.
 */
public record ReadOptions(boolean verifyChecksums) {
    /** Checksums checked. */
    public static final ReadOptions DEFAULT = new ReadOptions(true);

    /** These options with CRC checks off. */
    public ReadOptions withoutChecksums() {
        return new ReadOptions(false);
    }
}
