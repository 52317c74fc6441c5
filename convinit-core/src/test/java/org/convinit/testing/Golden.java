package org.convinit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Golden fixtures made by the real torch 1.13.1 with the scripts in {@code tools/golden/}, committed
 * under {@code src/test/resources/golden/}. Float values are stored as raw bit patterns (hex strings)
 * so comparisons are bit for bit.
 */
public final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Golden() {}

    /** Reads {@code golden/NAME} from the test class path. */
    public static JsonNode load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) throw new IllegalStateException("golden fixture golden/" + name + " is missing; run tools/golden/");
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** float32 values from an array of 8-digit hex bit patterns. */
    public static int[] floatBits(JsonNode hexArray) {
        int[] out = new int[hexArray.size()];
        for (int i = 0; i < out.length; i++) out[i] = (int) Long.parseLong(hexArray.get(i).asText(), 16);
        return out;
    }

    /** float64 values from an array of 16-digit hex bit patterns. */
    public static long[] doubleBits(JsonNode hexArray) {
        long[] out = new long[hexArray.size()];
        for (int i = 0; i < out.length; i++) out[i] = Long.parseUnsignedLong(hexArray.get(i).asText(), 16);
        return out;
    }

    /** Ints from a JSON array. */
    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
