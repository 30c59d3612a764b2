package cebm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar cebm.jar train | sample | encode | eval | toy | graph | info}.
 *
 * <p>Exit codes: 0 success, 1 a failure while running (e.g. training diverged for good),
 * 2 a usage error (unknown flag, bad value, missing or malformed file).
 */
@Command(name = "cebm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Conjugate energy-based models (Wu et al., ICML 2021), from scratch in Java.",
        subcommands = {TrainCommand.class, SampleCommand.class, EncodeCommand.class, EvalCommand.class, ExportCommand.class,
                ToyCommand.class, GraphCommand.class, InfoCommand.class})
public final class Main implements Runnable {
    public static final int USAGE_ERROR = 2;

    public static void main(String[] args) {
        if (VectorModule.relaunchWithVectorModule(args)) return;
        VectorModule.stopWithLauncher();
        // Pictures are drawn off screen: before anything touches AWT, so that a DISPLAY that leads
        // nowhere (an ssh session's, say) cannot stop a run from writing its plots.
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        CommandLine train = cli.getSubcommands().get("train");
        ((TrainCommand) train.getCommand()).declareSettings(train.getCommandSpec());
        train.getCommandSpec().usageMessage().footer(TrainCommand.footer());
        // Every command has -V / --version (mixinStandardHelpOptions); each answers with the same line.
        for (CommandLine command : cli.getSubcommands().values()) command.getCommandSpec().versionProvider(new Version());
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine commandLine = e.getCommandLine();
            // The top level takes no arguments, so a word it does not match can only be a mistyped command.
            if (commandLine == cli && e instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getUnmatched().get(0).startsWith("-")) {
                commandLine.getErr().println("cebm: unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are "
                        + String.join(", ", cli.getSubcommands().keySet()));
            } else {
                commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + e.getMessage() + " (see --help)");
            }
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageError || e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
                commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                return USAGE_ERROR;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** A mistake of the user's (bad value, missing file): reported in one line, exit code 2. */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cebm " + (v == null ? "(development build)" : v)};
        }
    }
}
