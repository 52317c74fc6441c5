package org.convinit.io.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a JVM on this test's class path (optionally under {@code sh -c 'umask U; ...'}), for tests a child must do. */
final class ChildJvm {
    private ChildJvm() {}

    /** The command line of a child running {@code main} with {@code jvmArgs} and {@code args}. */
    static List<String> command(List<String> jvmArgs, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(false).start();
    }

    /** The same command run by {@code sh} after {@code umask mask}. */
    static List<String> underUmask(String mask, List<String> command) {
        StringBuilder sh = new StringBuilder("umask " + mask + " && exec");
        for (String c : command) sh.append(" '").append(c.replace("'", "'\\''")).append('\'');
        return List.of("/bin/sh", "-c", sh.toString());
    }
}
