package lanes.bench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code lanes} command line: train, eval, predict, bench, fuzz, info. A bad argument or a bad file ends with
 * exit status 2 or 1 and one line on stderr (the stack trace too with {@code --verbose}).
 */
@Command(name = "lanes", mixinStandardHelpOptions = true, versionProvider = LanesApp.Version.class,
        description = "Lanes: neural networks on the JVM's Vector API.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, ExportCommand.class,
            ImportCommand.class, BenchCommand.class,
            FuzzCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class LanesApp implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, print the stack trace too.")
    boolean verbose;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (0 on success). */
    public static int run(String... args) {
        LanesApp app = new LanesApp();
        CommandLine cli = new CommandLine(app);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("lanes " + commandLine.getCommandName() + ": " + message(e));
            if (app.verbose || java.util.Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        cli.setParameterExceptionHandler((e, ignored) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("lanes " + c.getCommandName() + ": " + e.getMessage() + " (see: lanes "
                    + (c.getParent() == null ? "" : c.getCommandName() + " ") + "--help)");
            if (java.util.Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(c.getErr());
            }
            return 2;
        });
        return cli.execute(args);
    }

    /** The exception's message, or its class where it has none. */
    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LanesApp.class.getPackage().getImplementationVersion();
            return new String[] {"lanes " + (v == null ? "(development build)" : v)};
        }
    }
}
