package org.convinit.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code convinit} command. {@code main} alone decides exit codes: 0 success; 2 a usage mistake
 * (message plus a usage hint); 1 a failure (one clear line; the stack trace only with {@code --verbose}).
 */
@Command(name = "convinit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Build PyTorch convolution layers on the JVM, initialize them exactly as torch does, and save the weights.",
        subcommands = {InitCommand.class, InspectCommand.class, ConvertCommand.class, ForwardCommand.class, TrainCommand.class,
                DiagnoseCommand.class, StudyCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** The version printed by --version and recorded in output metadata. */
    public static final String VERSION = "0.1.0";

    @Option(names = "--verbose", description = "Print stack traces on failure.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of init, inspect, convert, forward, train, diagnose, study, help");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"convinit " + VERSION + " (PyTorch 1.13.1 semantics; Java " + Runtime.version() + ")"};
        }
    }

    /** A usage mistake found after parsing (bad model or init expression): exit 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs the command line and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, StudyEngine.LOCAL);
    }

    /** Runs the command line, {@code study} running its cells on {@code engine}, and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, StudyEngine engine) {
        Main main = new Main();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == StudyCommand.class ? cls.cast(new StudyCommand(engine)) : CommandLine.defaultFactory().create(cls);
            }
        };
        CommandLine cl = new CommandLine(main, factory);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            String hint = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                hint = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)"; // picocli's nearest names
            }
            err.println("convinit: " + ex.getMessage() + hint);
            err.println("Usage: " + c.getCommandSpec().qualifiedName() + " --help  for the options");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean v = verboseRequested(args);
            if (ex instanceof UsageException) {
                err.println("convinit: " + ex.getMessage());
                err.println("Usage: " + c.getCommandSpec().qualifiedName() + " --help  for the options");
                if (v) ex.printStackTrace(err);
                return 2;
            }
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            err.println("convinit: " + msg.replace('\n', ' '));
            if (v) ex.printStackTrace(err);
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static boolean verboseRequested(String[] args) {
        for (String a : args) if (a.equals("--verbose")) return true;
        return false;
    }

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }
}
