package org.convinit.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.convinit.io.Checkpoints;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Runs every example and checks what it prints, then checks that the README's snippets are copies of the
 * marked parts of these files ({@code mvn verify} of this project runs it; so does CI, through test.sh).
 * Argument: the README's path.
 */
public final class RunExamples {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("convinit-examples");
        Path pretrained = dir.resolve("pretrained.pth");
        Map<String, Tensor> sd = new LinkedHashMap<>();
        Generator g = new Generator(7);
        sd.put("features.0.weight", Tensor.empty(DType.FLOAT32, 16, 3, 3, 3).uniform_(-0.1, 0.1, g));
        sd.put("features.0.bias", Tensor.zeros(DType.FLOAT32, 16));
        sd.put("conv1.weight", Tensor.empty(DType.FLOAT32, 32, 16, 3, 3).uniform_(-0.1, 0.1, g));
        Checkpoints.write(pretrained, sd);

        expect(run(() -> Recipes.main(new String[] {pretrained.toString()})),
                "[16, 3, 3, 3]",
                "size mismatch for weight: copying a param with shape [32, 16, 3, 3] from checkpoint, the shape in current model is [16, 3, 3, 3].",
                "<All keys matched successfully>",
                "1.0");
        String init = run(() -> InitSchemes.main(new String[0]));
        for (String line : init.split("\n")) {
            String[] p = line.replace("(expected ", "").replace(")", "").split(" ");
            double got = Double.parseDouble(p[2]);
            double want = Double.parseDouble(p[3]);
            if (Math.abs(got - want) > 0.05 * want) throw new AssertionError("InitSchemes: " + line);
        }
        expect(run(() -> CheckpointRoundTrip.main(new String[] {dir.toString()})),
                "model.pth: <All keys matched successfully>",
                "model.safetensors: <All keys matched successfully>",
                "model.npz: <All keys matched successfully>");
        String train = run(() -> TrainLoop.main(new String[0])).trim();
        String[] losses = train.replace("loss ", "").split(" -> ");
        if (!(Double.parseDouble(losses[1]) < 0.5 * Double.parseDouble(losses[0]))) {
            throw new AssertionError("TrainLoop: the loss did not halve: " + train);
        }

        if (args.length > 0) {
            String readme = Files.readString(Path.of(args[0]));
            Path src = Path.of(args[0]).resolveSibling("examples");
            requireCopy(readme, marked(src.resolve("src/main/java/org/convinit/examples/Recipes.java"), "// README: recipes"), "Recipes.java");
            requireCopy(readme, marked(src.resolve("pom.xml"), "<!-- README: maven"), "examples/pom.xml");
        }
        System.out.println("RunExamples: Recipes, InitSchemes, CheckpointRoundTrip, TrainLoop ok; README snippets are copies");
    }

    private interface Body {
        void run() throws Exception;
    }

    private static String run(Body body) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return out;
    }

    private static void expect(String output, String... lines) {
        String[] got = output.strip().split("\\R");
        if (got.length != lines.length) throw new AssertionError("expected " + lines.length + " lines, got:\n" + output);
        for (int i = 0; i < lines.length; i++) {
            if (!got[i].equals(lines[i])) throw new AssertionError("line " + (i + 1) + ": expected\n" + lines[i] + "\ngot\n" + got[i]);
        }
    }

    /** The lines between the file's "MARK begin" and "MARK end" lines. */
    private static String marked(Path file, String mark) throws IOException {
        String text = Files.readString(file);
        int begin = text.indexOf(mark + " begin");
        int end = text.indexOf(mark + " end");
        if (begin < 0 || end < 0) throw new AssertionError(file + ": no '" + mark + " begin/end' markers");
        begin = text.indexOf('\n', begin) + 1;
        return text.substring(begin, text.lastIndexOf('\n', end) + 1);
    }

    private static void requireCopy(String readme, String snippet, String from) {
        if (!readme.contains(snippet)) {
            throw new AssertionError("README.md does not contain the marked part of " + from + " verbatim; copy it again:\n" + snippet);
        }
    }
}
