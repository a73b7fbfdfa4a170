package dev.stackfleet.ops;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ops console [--port N]}: the ops console, a web page of the fleet, its servers' executions drawn as the
 * path through the state machine, and replay and redrive behind a confirmation ({@link ConsoleServer}). It runs
 * with the same credentials and settings as every other ops command, until it is stopped (Ctrl-C).
 */
@Command(
        name = "console",
        description = "Serve the ops console on 127.0.0.1: the fleet, each server's executions as a picture,"
                + " replay and redrive with a confirmation.")
final class ConsoleCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Spec
    CommandSpec spec;

    @Mixin
    PollOptions pollOptions;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "8088",
            description = "The port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "The loopback address to listen on (127.0.0.1 or ::1); nothing else is accepted."
                    + " Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(
            names = "--stack-reader-role",
            paramLabel = "NAME",
            defaultValue = WorkloadStack.OBSERVER_ROLE,
            description = "The role to assume in workload accounts to read stacks. Default: ${DEFAULT-VALUE}.")
    String stackReaderRole;

    @Override
    public Integer call() throws IOException {
        InetAddress address = loopback(bind);
        ConsoleServer.ConsoleSettings settings = new ConsoleServer.ConsoleSettings(pollOptions.poll(), stackReaderRole);
        ConsoleServer console;
        try {
            console = ConsoleServer.start(new InetSocketAddress(address, port), ops, settings);
        } catch (BindException e) {
            throw new OpsException(
                    "cannot listen on " + bind + " port " + port + " (" + e.getMessage() + "): pass another --port");
        }
        try (console) {
            ops.out().println("ops console at " + console.url() + " (stop it with Ctrl-C)");
            ops.out().flush();
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * The address to bind to, if it is a loopback one. The console acts with the operator's credentials and has no
     * login of its own: reachable from another host, anyone there could read the fleet and start executions.
     */
    private InetAddress loopback(String name) {
        try {
            InetAddress address = InetAddress.getByName(name);
            if (address.isLoopbackAddress()) {
                return address;
            }
        } catch (UnknownHostException unknown) {
            // refused below like any other non-loopback address
        }
        throw new ParameterException(
                spec.commandLine(),
                "--bind " + name + " refused: the console listens on loopback only (127.0.0.1 or ::1), since it"
                        + " acts with your AWS credentials and has no login. To use it from another machine,"
                        + " forward a port over SSH: ssh -L " + port + ":127.0.0.1:" + port + " <this host>");
    }
}
