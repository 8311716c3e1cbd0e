package lanes.app.cli;

import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code lanes} command line: train, eval, predict, export, import, fuzz, info. A bad argument or a bad file
 * ends with exit status 2 or 1 and one line on stderr (the stack trace too with {@code --verbose}). The benchmark
 * suites join as {@code lanes bench} from the bench module ({@link #commandLine()} plus one subcommand).
 */
@Command(name = "lanes", mixinStandardHelpOptions = true, versionProvider = LanesApp.Version.class,
        description = "Lanes: neural networks on the JVM's Vector API.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, SummaryCommand.class,
            GdCommand.class, GradcheckCommand.class, ShowCommand.class, StudioCommand.class, DetectCommand.class, RecordingCommand.class, ExportCommand.class, ImportCommand.class,
            FuzzCommand.class, InfoCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "The benchmark suites (lanes bench gemm|conv|train|e2e|predict|studio|all) come with the bench "
                + "module: ./lanes bench ..."})
public final class LanesApp implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, print the stack trace too.")
    boolean verbose;

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @return the exit status: 0 on success, 1 when the command failed, 2 for a bad argument
     */
    public static int run(String... args) {
        return run(commandLine(), args);
    }

    /**
     * The {@code lanes} command line, to which another module may add subcommands before {@link #run(CommandLine,
     * String...)}.
     *
     * @return a new command line with every command of the app
     */
    public static CommandLine commandLine() {
        return new CommandLine(new LanesApp());
    }

    /**
     * Runs {@code cli} with Lanes' handling of errors: a failed command prints {@code lanes CMD: message} (exit 1), a
     * bad argument the message and where help is (exit 2); {@code --verbose} adds the stack trace.
     *
     * @param cli the command line, from {@link #commandLine()}
     * @param args the arguments
     * @return the exit status
     */
    public static int run(CommandLine cli, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("lanes " + commandLine.getCommandName() + ": " + message(e));
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        cli.setParameterExceptionHandler((e, ignored) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("lanes " + c.getCommandName() + ": " + e.getMessage() + " (see: lanes "
                    + (c.getParent() == null ? "" : c.getCommandName() + " ") + "--help)");
            if (verbose) {
                e.printStackTrace(c.getErr());
            }
            return 2;
        });
        return cli.execute(args);
    }

    /** The exception's message, or its cause's (an error in a class's initialiser has none), or its class. */
    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) {
                return m;
            }
        }
        return e.getClass().getSimpleName();
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
