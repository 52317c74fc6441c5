package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.io.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's resume test, for real: {@code train} in a child JVM (2 epochs of 50 batches on 1,000 Fashion-MNIST
 * images, Adam, dropout, a checkpoint every 4 batches) is SIGKILLed at a random moment in epoch 1 after a random
 * number of checkpoints, resumed, SIGKILLed again in epoch 2, and resumed to the end; its weights file is byte for
 * byte the uninterrupted run's, and so are its metrics (per-epoch losses and accuracy) and its epoch lines.
 * {@code tools/reliability/resume-test.sh ROUNDS} repeats the killed run ({@code convinit.resumeTest.rounds}, default 1).
 */
class TrainResumeKillTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    static final String MODEL = "Sequential(Conv2d(1, 4, 3, stride=2), ReLU(), Dropout(0.25), Flatten(), Linear(676, 10))";

    @TempDir
    Path dir;

    List<String> args(Path data, String name) {
        return new ArrayList<>(List.of("train", "--model", MODEL, "--data", data.toString(), "--limit", "1000", "--batch-size", "20",
                "--epochs", "2", "--optimizer", "adam", "--seed", "7", "--out", dir.resolve(name + ".pth").toString(),
                "--metrics", dir.resolve(name + ".json").toString()));
    }

    @Test
    void killedTwiceAndResumedEqualsTheUninterruptedRun() throws Exception {
        Path data = FASHION;
        if (!Files.isDirectory(FASHION)) { // test.sh installs Debian's dataset-fashion-mnist; elsewhere, a synthetic set
            data = Files.createDirectories(dir.resolve("data"));
            TrainTest.writeDataset(data, 1000, 1000);
        }
        StringWriter refOut = new StringWriter();
        StringWriter refErr = new StringWriter();
        assertThat(Main.run(args(data, "ref").toArray(String[]::new), new PrintWriter(refOut), new PrintWriter(refErr)))
                .as(refErr.toString()).isZero();

        int rounds = Integer.getInteger("convinit.resumeTest.rounds", 1);
        for (int round = 1; round <= rounds; round++) killedTwice(data, refOut.toString(), round);
        System.out.printf("resume test: %d rounds, each killed in epoch 1 and 2 and resumed, equal to the uninterrupted run%n", rounds);
    }

    private void killedTwice(Path data, String refOut, int round) throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        Path ck = dir.resolve("ck.pth");
        Files.deleteIfExists(ck);
        Files.deleteIfExists(dir.resolve("run.pth"));
        List<String> run = args(data, "run");
        run.addAll(List.of("--checkpoint", ck.toString(), "--checkpoint-every", "4"));
        List<String> resumed = new ArrayList<>(run);
        resumed.addAll(List.of("--resume", ck.toString()));
        String why = "round " + round + ", random seed " + seed;
        long[] at1 = killAfter(run, ck, 1, 4 + 4 * rnd.nextInt(6), rnd.nextInt(40), "1");
        assertThat(at1[0]).as("%s: the first kill came in epoch 1 after a checkpoint (position %s)", why, at1[1]).isEqualTo(1);
        long[] at2 = killAfter(resumed, ck, 2, 4 + 4 * rnd.nextInt(6), rnd.nextInt(40), "2");
        assertThat(at2[0]).as("%s: the second kill came in epoch 2 (position %s)", why, at2[1]).isEqualTo(2);
        Process last = child(resumed, "3");
        assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(last.exitValue()).as(Files.readString(dir.resolve("err3.txt"))).isZero();

        assertThat(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("run.pth")), Files.readAllBytes(dir.resolve("ref.pth"))))
                .as("%s: the weights file is the uninterrupted run's, byte for byte", why).isTrue();
        ObjectMapper json = new ObjectMapper();
        JsonNode want = json.readTree(dir.resolve("ref.json").toFile());
        JsonNode got = json.readTree(dir.resolve("run.json").toFile());
        assertThat(got.get("epochs")).hasSize(2);
        for (int e = 0; e < 2; e++) {
            for (String k : List.of("epoch", "train_loss", "test_loss", "test_accuracy")) {
                assertThat(got.get("epochs").get(e).get(k).asDouble()).as("%s: epoch %d %s", why, e + 1, k)
                        .isEqualTo(want.get("epochs").get(e).get(k).asDouble());
            }
        }
        assertThat(withoutTimes(Files.readString(dir.resolve("out3.txt")))).isEqualTo(withoutTimes(refOut));
        assertThat(Files.readString(dir.resolve("err3.txt"))).contains("resuming from " + ck + ": epoch 2, ");
        System.out.printf("resume test round %d: killed with the checkpoint at step %d (epoch 1), then at step %d (epoch 2); "
                + "50 steps per epoch%n", round, at1[1], at2[1]);
    }

    private static String withoutTimes(String epochLines) {
        return epochLines.replaceAll("\\(\\d+\\.\\d s\\)", "(time)");
    }

    /**
     * Starts {@code train}, waits until its checkpoint reaches {@code epoch} with at least {@code batches} batches
     * done, lets it run {@code extraMillis} more, SIGKILLs it and returns the checkpoint's epoch and its step.
     */
    private long[] killAfter(List<String> args, Path ck, long epoch, int batches, int extraMillis, String name) throws Exception {
        Process p = child(args, name);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            assertThat(p.isAlive()).as("child %s ended before its kill: %s", name, Files.readString(dir.resolve("err" + name + ".txt"))).isTrue();
            assertThat(System.nanoTime()).as("child %s reached epoch %d in time", name, epoch).isLessThan(deadline);
            long[] at = position(ck);
            if (at != null && (at[0] > epoch || at[0] == epoch && at[1] >= batches)) break;
            Thread.sleep(3);
        }
        Thread.sleep(extraMillis);
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long[] at = position(ck);
        return new long[] {at[0], at[2]};
    }

    /** The checkpoint's epoch, batch and step, or null before the first one. */
    private static long[] position(Path ck) throws Exception {
        if (!Files.exists(ck)) return null;
        Map<String, Object> m = Checkpoints.read(ck);
        return new long[] {(Long) m.get("epoch"), (Long) m.get("batch"), (Long) m.get("step")};
    }

    private Process child(List<String> args, String name) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve("out" + name + ".txt").toFile())
                .redirectError(dir.resolve("err" + name + ".txt").toFile()).start();
    }
}
