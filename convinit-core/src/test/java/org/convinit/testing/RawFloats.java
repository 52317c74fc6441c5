package org.convinit.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.convinit.tensor.Tensor;

/** Tensors handed to a torch script as one raw little-endian float32 file ({@code numpy.fromfile(f, dtype='<f4')}). */
public final class RawFloats {
    private RawFloats() {}

    /** Writes the tensors' values (row-major, one after the other) to {@code dir/name}. */
    public static Path write(Path dir, String name, List<Tensor> ts) throws IOException {
        int n = 0;
        for (Tensor t : ts) n += (int) t.numel();
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : ts) for (float v : t.contiguous().toFloatArray()) b.putFloat(v);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }
}
