package org.convinit.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.convinit.testing.fuzz.FuzzContract;

/**
 * Coverage-guided fuzz target (Jazzer) for the IDX reader, plain and gzip: an input is read or refused with an
 * {@link IdxFormatException}; any other exception or error, or an allocation beyond a few times the (decompressed)
 * input plus the reader's fixed 1 MiB first buffer, is a finding. In CI (no {@code JAZZER_FUZZ}) it replays the
 * committed inputs in {@code src/test/resources/org/convinit/data/IdxFuzzTestInputs/idx/} (seeds and every input
 * that found a bug); {@code tools/fuzz/run.sh idx} fuzzes it.
 */
class IdxFuzzTest {
    /** The reader's first buffer (up to 1 MiB), its stream buffers, and the message of a refusal. */
    static final long FIXED_BUDGET = 4L << 20;

    @FuzzTest(maxDuration = "60m", maxExecutions = 1_000_000)
    void idx(byte[] data) {
        long budget = FIXED_BUDGET + 16 * Math.max(data.length, gunzippedLength(data));
        FuzzContract.check(data.length, budget, () -> Idx.read(new ByteArrayInputStream(data), "fuzz"),
                IdxFormatException.class);
    }

    /** Bytes a gzip input decompresses to (what the reader may legitimately hold); 0 when it is not gzip. */
    private static long gunzippedLength(byte[] data) {
        if (data.length < 2 || (data[0] & 0xFF) != 0x1f || (data[1] & 0xFF) != 0x8b) return 0;
        long n = 0;
        byte[] buf = new byte[8192];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            for (int r; (r = in.read(buf)) >= 0; ) n += r;
        } catch (IOException e) {
            // the data up to the damage is what the reader gets too
        }
        return n;
    }
}
