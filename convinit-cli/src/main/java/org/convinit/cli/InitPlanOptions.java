package org.convinit.cli;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * The init options every command that builds a model takes ({@code init}, {@code train}, {@code diagnose},
 * {@code study}): {@code --init [GLOB=]FN}, {@code --set KEY=SOURCE} and {@code --init-plan PLAN.json}, parsed into one
 * {@link InitPlan} (order and schema there). In {@code study} they make one more scheme.
 */
final class InitPlanOptions {
    @Option(names = "--init", paramLabel = "[GLOB=]FN", description = {
            "FN alone: re-initialize every conv and linear weight, e.g. \"kaiming_normal_(mode='fan_out', nonlinearity='relu')\".",
            "GLOB=FN (repeatable): FN on every state-dict key GLOB matches (fnmatch; first matching rule wins), "
                    + "e.g. 'features.*.weight=zeros_'."})
    List<String> init;

    @Option(names = "--set", paramLabel = "KEY=SOURCE", description = "Repeatable, applied last in order: KEY=FILE.npy, "
            + "KEY=FILE:KEY2 (.pth/.safetensors/.npz), or KEY[i,j,...]=VALUE.")
    List<String> set;

    @Option(names = "--init-plan", paramLabel = "PLAN.json", description = "Rules and sets as JSON: "
            + "{\"init\": [{\"pattern\", \"fn\"}], \"set\": [{\"key\", \"file\", \"source_key\"} | {\"key\", \"index\", \"value\"}]}.")
    Path initPlan;

    /** The plan the options describe (empty when none is given); a bad rule, value or file is an IllegalArgumentException. */
    InitPlan parse() {
        return InitPlan.parse(init, set, initPlan);
    }

    /** Whether any of the three was given. */
    boolean given() {
        return init != null || set != null || initPlan != null;
    }
}
