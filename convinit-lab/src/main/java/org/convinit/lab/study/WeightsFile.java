package org.convinit.lab.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A weights file a study's scheme loaded: the scheme's name, the file's absolute path and the SHA-256 of its bytes
 * (lower-case hex), recorded in the study's {@code reproducibility.weights}.
 */
public record WeightsFile(String scheme, String path, String sha256) {
    public WeightsFile {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** Hashes {@code file} now (read once, in blocks). */
    public static WeightsFile of(String scheme, Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + ": " + e.getMessage(), e);
        }
        return new WeightsFile(scheme, file.toAbsolutePath().normalize().toString(), HexFormat.of().formatHex(md.digest()));
    }
}
