package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code --init}, {@code --set} and {@code --init-plan} are one set of options, the same in every command that takes them. */
class InitPlanOptionsTest {
    /** The help lines of the three options: each option's line and its continuation lines. */
    private static List<String> initHelp(String command) {
        CliRunner r = CliRunner.run(command, "--help");
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        List<String> out = new java.util.ArrayList<>();
        for (String option : new String[] {"--init=", "--init-plan=", "--set="}) {
            int at = -1;
            for (int i = 0; i < lines.size(); i++) if (lines.get(i).strip().startsWith(option)) at = i;
            assertThat(at).as(command + " --help has " + option).isNotNegative();
            out.add(lines.get(at));
            for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("  ") && !lines.get(i).strip().startsWith("-"); i++) out.add(lines.get(i));
        }
        return out;
    }

    private static String words(List<String> lines) {
        return String.join(" ", lines).replaceAll("\\s+", " ").strip();
    }

    @Test
    void initSetAndInitPlanReadTheSameInInitTrainDiagnoseAndStudy() {
        List<String> init = initHelp("init");
        assertThat(String.join("\n", init)).contains("--init=[GLOB=]FN").contains("--set=KEY=SOURCE").contains("--init-plan=PLAN.json");
        for (String c : new String[] {"train", "diagnose", "study"}) {
            // the same words; picocli wraps them at a column each command's longest option sets
            assertThat(words(initHelp(c))).as(c).isEqualTo(words(init));
        }
    }

    @Test
    void theOptionsStillReachEachCommand() {
        String[][] commands = {{"init", "--out", "x.safetensors"}, {"train", "--data", "."}, {"diagnose"}, {"study"}};
        for (String[] command : commands) {
            String c = command[0];
            List<String> args = new java.util.ArrayList<>(List.of(command));
            args.addAll(List.of("--model", "Linear(784, 10)", "--init", "not_a_function_"));
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertThat(r.code()).as(c + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(c).contains("not_a_function_");
        }
    }
}
