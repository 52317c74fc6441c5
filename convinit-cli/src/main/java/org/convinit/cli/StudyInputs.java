package org.convinit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.convinit.autograd.GradMode;
import org.convinit.data.ImageDataset;
import org.convinit.lab.study.ModelSpec;
import org.convinit.lab.study.Scheme;
import org.convinit.nn.Module;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/** {@code convinit study}'s inputs from their command-line text: schemes, models, and the checks made before any training. */
final class StudyInputs {
    private StudyInputs() {}

    /**
     * Splits {@code --inits} on {@code ;} outside quotes and brackets: {@code "default; uniform_(a=-0.1, b=0.1)"}
     * gives two schemes. Empty entries are dropped.
     */
    static List<String> splitInits(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ';' && depth == 0) {
                add(out, cur);
                continue;
            }
            cur.append(c);
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String s = cur.toString().strip();
        if (!s.isEmpty()) out.add(s);
        cur.setLength(0);
    }

    /**
     * One scheme: {@code default}, {@code file:PATH} (a weights file, read now) or a {@code torch.nn.init} call as
     * {@code --init} takes it. Errors are {@link IllegalArgumentException}s naming the scheme.
     */
    static Scheme scheme(String text) {
        return scheme(text, StudyWeights.plain());
    }

    /** {@link #scheme(String)} with {@code file:PATH} read by {@code weights} (the key mapping options). */
    static Scheme scheme(String text, StudyWeights weights) {
        if (text.equals("default")) return Scheme.DEFAULT;
        if (text.startsWith("file:")) {
            String p = text.substring("file:".length()).strip();
            if (p.isEmpty()) throw new IllegalArgumentException("--inits " + text + ": expected file:PATH to a weights file");
            return weights.scheme(text, Path.of(p));
        }
        try {
            InitFunctions.Call call = InitFunctions.parse(text);
            return Scheme.weights(text, call::apply);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--inits scheme '" + text + "': " + e.getMessage()
                    + " (schemes: default, file:PATH or a torch.nn.init call)", e);
        }
    }

    /** A model built from its expression by {@link Layers#build} (float32), drawing from the default generator. */
    static ModelSpec model(String name, String expr) {
        return new ModelSpec(name, expr, () -> Layers.build(expr, DType.FLOAT32));
    }

    /**
     * Builds {@code model} once under a scratch generator, applies every scheme to it and runs two training images
     * through it: a model the data does not fit, an init that does not apply to its weights, or a weights file whose
     * keys or shapes differ fail here, before any training, as an {@link IllegalArgumentException}.
     */
    static void check(ModelSpec model, List<Scheme> schemes, ImageDataset train) {
        Generator.withDefault(new Generator(0), () -> {
            Module m;
            try {
                m = model.build();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--model " + model.expr() + ": " + e.getMessage(), e);
            }
            for (Scheme s : schemes) s.apply(m);
            ImageDataset.Batch b = train.batch(new int[] {0, Math.min(1, train.size() - 1)});
            Tensor out;
            try (var g = GradMode.noGrad()) {
                out = m.forward(b.images());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--model " + model.name() + " does not take the data's images " + b.images().shape()
                        + ": " + e.getMessage(), e);
            }
            if (out.dim() != 2 || out.size(1) < 10) {
                throw new IllegalArgumentException("--model " + model.name() + " gives outputs of shape " + out.shape()
                        + " for images " + b.images().shape() + "; expected [N, C] logits with C >= 10 classes");
            }
            return null;
        });
    }
}
