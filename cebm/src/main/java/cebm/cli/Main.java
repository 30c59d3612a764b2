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
        description = "Conjugate energy-based models (Wu et al., ICML 2021) on a from-scratch tensor engine.",
        subcommands = {TrainCommand.class, SampleCommand.class, EncodeCommand.class, EvalCommand.class, ExportCommand.class,
                ToyCommand.class, GraphCommand.class, InfoCommand.class})
public final class Main implements Runnable {
    public static final int USAGE_ERROR = 2;

    public static void main(String[] args) {
        if (VectorModule.relaunchWithVectorModule(args)) return;
        VectorModule.stopWithLauncher();
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.getSubcommands().get("train").getCommandSpec().usageMessage().footer(TrainCommand.footer());
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("cebm " + e.getCommandLine().getCommandName() + ": " + e.getMessage()
                    + " (see --help)");
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageError || e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
                commandLine.getErr().println("cebm " + commandLine.getCommandName() + ": " + e.getMessage());
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
