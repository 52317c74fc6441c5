package org.convinit.io;

/** Checkpoint file formats convinit recognizes (by magic bytes, see {@link Checkpoints#detect}). */
public enum Format {
    /** {@code torch.save} zip archive (torch >= 1.6). */
    PTH_ZIP("pth"),
    /** {@code torch.save} legacy format (pre-1.6, or {@code _use_new_zipfile_serialization=False}). */
    PTH_LEGACY("pth-legacy"),
    /** TorchScript archive ({@code torch.jit.save}): recognized and refused. */
    TORCHSCRIPT("torchscript"),
    /** safetensors. */
    SAFETENSORS("safetensors"),
    /** NumPy {@code .npy}: one array. */
    NPY("npy"),
    /** NumPy {@code .npz}: a zip of {@code .npy} files. */
    NPZ("npz");

    private final String label;

    Format(String label) {
        this.label = label;
    }

    /** Short lower-case name, as {@code convinit inspect --json} prints it. */
    public String label() {
        return label;
    }
}
