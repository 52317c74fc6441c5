package org.convinit.io.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.convinit.Warnings;
import org.convinit.io.AtomicFiles;
import org.convinit.io.CheckpointReader;
import org.convinit.io.Checkpoints;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM saving a 50 MB checkpoint in a loop ({@link SaveLoop}) is SIGKILLed at random moments;
 * after every kill the target holds the complete old checkpoint or the complete new one (loaded and
 * compared element by element), and the next save removes the temporary file a kill left. CI runs
 * {@code convinit.killTest.kills} kills (default 25); {@code tools/reliability/kill-test.sh} runs 100.
 */
class KillTest {
    @TempDir
    Path dir;

    @Test
    void aKilledSaveLeavesTheOldOrTheNewFileAndTheNextSaveCleansUp() throws Exception {
        int kills = Integer.getInteger("convinit.killTest.kills", 25);
        Path target = dir.resolve("ckpt.pth");
        Checkpoints.write(target, SaveLoop.checkpoint(0));
        Random rnd = new Random(15);
        long onDisk = 0;
        int sawNewUnreported = 0;
        int leftTmp = 0;
        int cleanedByNext = 0;
        int afterASave = 0;
        List<Path> previousLeftovers = List.of();
        for (int i = 0; i < kills; i++) {
            Process p = ChildJvm.start(ChildJvm.command(List.of("-Xmx512m"), SaveLoop.class, target.toString(), Long.toString(onDisk + 1)));
            AtomicLong reported = new AtomicLong(onDisk);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("child's first line").isEqualTo("ready");
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) if (line.startsWith("saved ")) reported.set(Long.parseLong(line.substring(6)));
                } catch (java.io.IOException ignored) {
                    // the child is gone
                }
            });
            reader.start();
            Thread.sleep(rnd.nextInt(1200));
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            long last = reported.get();
            long step = verify(target);
            assertThat(step).as("kill %d: the file is the last reported save (%d) or the one after it", i, last).isIn(last, last + 1);
            if (step == last + 1) sawNewUnreported++;
            if (last > onDisk) {
                afterASave++;
                // the child completed a save: it removed the temporary file the previous kill left
                for (Path t : previousLeftovers) assertThat(t).as("kill %d: leftover of the previous kill", i).doesNotExist();
                cleanedByNext += previousLeftovers.size();
            }
            onDisk = step;
            List<Path> left = AtomicFiles.leftovers(target);
            if (!left.isEmpty()) leftTmp++;
            assertThat(left.size()).as("temporary files beside the target after kill %d", i).isLessThanOrEqualTo(previousLeftovers.size() + 1);
            previousLeftovers = left;
        }
        List<String> warnings = new ArrayList<>();
        try (AutoCloseable c = Warnings.capture(warnings::add)) {
            Checkpoints.write(target, SaveLoop.checkpoint(onDisk + 1));
        }
        assertThat(AtomicFiles.leftovers(target)).isEmpty();
        assertThat(warnings).hasSize(previousLeftovers.size());
        for (String w : warnings) assertThat(w).contains("a temporary file left by an interrupted save to");
        assertThat(verify(target)).isEqualTo(onDisk + 1);
        System.out.printf("kill test: %d kills, all leaving the complete old or new checkpoint; %d after the child completed a save; "
                + "%d left a temporary file; %d temporary files removed by the child's first save; %d times the file was the new one "
                + "though its save was not reported; %d removed by the final save%n", kills, afterASave, leftTmp, cleanedByNext,
                sawNewUnreported, warnings.size());
    }

    /** Loads the target, checks it is complete checkpoint number N, and returns N. */
    private static long verify(Path target) throws Exception {
        try (CheckpointReader r = Checkpoints.open(target)) {
            long step = r.tensor("step").storage().getLong(0);
            Tensor w = r.tensor("weight");
            Map<String, Tensor> want = SaveLoop.checkpoint(step);
            assertThat(w.storage().floats()).as("weight of checkpoint %d", step).isEqualTo(want.get("weight").storage().floats());
            return step;
        }
    }
}
