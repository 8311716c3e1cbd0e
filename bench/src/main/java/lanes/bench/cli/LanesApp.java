package lanes.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lanes} command line: {@code lanes info}; later issues add train, bench and fuzz. */
@Command(name = "lanes", mixinStandardHelpOptions = true, versionProvider = LanesApp.Version.class,
        description = "Lanes: neural networks on the JVM's Vector API.",
        subcommands = {InfoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class LanesApp implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (0 on success). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new LanesApp());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("lanes: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
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
