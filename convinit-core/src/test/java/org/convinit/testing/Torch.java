package org.convinit.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The real PyTorch as an oracle for differential tests. It runs Debian's python3-torch 1.13.1 under
 * the system python ({@code -Dconvinit.python}, default {@code /usr/bin/python3}).
 *
 * <p>When torch cannot be imported, a differential test is skipped with a message, except when
 * {@code -Dconvinit.requireTorch=true} (CI sets it): then it fails, so CI never passes by skipping.
 */
public final class Torch {
    private static Boolean available;

    private Torch() {}

    public static String python() {
        return System.getProperty("convinit.python", "/usr/bin/python3");
    }

    /** Skips (or, when torch is required, fails) the calling test unless torch imports. */
    public static void require() {
        if (isAvailable()) return;
        String msg = "PyTorch is not importable by " + python() + " (apt-get install python3-torch)";
        if (Boolean.getBoolean("convinit.requireTorch")) fail(msg + "; convinit.requireTorch=true");
        Assumptions.abort(msg);
    }

    public static synchronized boolean isAvailable() {
        if (available == null) {
            try {
                String v = run("import torch; print(torch.__version__)").trim();
                available = v.startsWith("1.13") || v.startsWith("2.");
            } catch (RuntimeException e) {
                available = false;
            }
        }
        return available;
    }

    /**
     * Runs the oracle script {@code resource} (a class-path resource of {@code anchor}) on {@code cases} written as JSON
     * with {@code json}: the script reads the cases file and writes a JSON array of replies, each with the "id" of its
     * case; returns the replies by id.
     */
    public static Map<String, JsonNode> runCases(ObjectMapper json, Class<?> anchor, String resource, Object cases) {
        try {
            Path in = Files.createTempFile("convinit-cases", ".json");
            Path out = Files.createTempFile("convinit-out", ".json");
            try {
                json.writeValue(in.toFile(), cases);
                String script;
                try (InputStream s = anchor.getResourceAsStream(resource)) {
                    script = new String(s.readAllBytes(), StandardCharsets.UTF_8);
                }
                run(script, in.toString(), out.toString());
                Map<String, JsonNode> byId = new HashMap<>();
                for (JsonNode r : json.readTree(out.toFile())) byId.put(r.get("id").asText(), r);
                return byId;
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a Python script with arguments; returns stdout, throws with stderr on failure. */
    public static String run(String script, String... args) {
        try {
            Path f = Files.createTempFile("convinit-torch", ".py");
            try {
                Files.writeString(f, script);
                List<String> cmd = new ArrayList<>();
                cmd.add(python());
                cmd.add(f.toString());
                cmd.addAll(List.of(args));
                ProcessBuilder pb = new ProcessBuilder(cmd);
                pb.environment().put("OMP_NUM_THREADS", "1");
                Process p = pb.start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                byte[] err = p.getErrorStream().readAllBytes();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("python timed out");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("python failed (" + p.exitValue() + "):\n" + new String(err, StandardCharsets.UTF_8));
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
