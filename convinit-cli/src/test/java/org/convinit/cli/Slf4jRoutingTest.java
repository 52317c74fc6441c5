package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.convinit.Warnings;
import org.convinit.init.InitCall;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's warnings go through {@link System.Logger}: in a JVM with SLF4J's {@code slf4j-jdk-platform-logging} and a
 * backend (slf4j-simple) on the class path they arrive in that backend as logger {@code org.convinit} at WARN; without
 * them they print as Python's one {@code UserWarning:} line. Each case runs {@link Child} in a JVM of its own (a
 * LoggerFinder is chosen once per JVM); the SLF4J jars come from Maven by path and stay off this JVM's class path.
 */
class Slf4jRoutingTest {
    @TempDir
    Path dir;

    static final String MESSAGE = "nn.init.normal is now deprecated in favor of nn.init.normal_.";

    /** What the child JVM runs: torch's deprecated alias {@code nn.init.normal}, which warns through core's Warnings. */
    public static final class Child {
        public static void main(String[] args) {
            InitCall.of("normal", java.util.Map.of()).apply(Tensor.zeros(DType.FLOAT32, 2, 2), null);
            System.out.println("done");
        }
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Runs {@link Child} with core, this test's classes and {@code extra} on the class path; returns its stderr. */
    private String runChild(String extra, String... props) throws Exception {
        String cp = location(Warnings.class) + File.pathSeparator + location(Child.class) + (extra.isEmpty() ? "" : File.pathSeparator + extra);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp));
        cmd.addAll(List.of(props));
        cmd.add(Child.class.getName());
        Path err = dir.resolve("err" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String text = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    private static String slf4jJars() {
        String jars = System.getProperty("convinit.slf4j.classpath", "");
        for (String j : jars.split(File.pathSeparator)) {
            assertThat(j).as("convinit.slf4j.classpath (set by the cli pom)").endsWith(".jar");
            assertThat(Path.of(j)).exists();
        }
        return jars;
    }

    @Test
    void withSlf4jOnTheClassPathWarningsArriveInItsBackend() throws Exception {
        String err = runChild(slf4jJars(), "-Dorg.slf4j.simpleLogger.showThreadName=false");
        // slf4j-simple's line: LEVEL LOGGER - MESSAGE (the thread name switched off)
        assertThat(err.lines().filter(l -> l.contains(MESSAGE)).toList()).containsExactly("WARN org.convinit - " + MESSAGE);
        assertThat(err).doesNotContain("UserWarning");

        // the backend's own configuration applies: at level error the warning is filtered out
        String quiet = runChild(slf4jJars(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=error");
        assertThat(quiet).doesNotContain(MESSAGE);
    }

    @Test
    void withoutALoggerFinderWarningsPrintAsPythonDoes() throws Exception {
        String err = runChild("");
        assertThat(err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList())
                .containsExactly("UserWarning: " + MESSAGE);
    }
}
