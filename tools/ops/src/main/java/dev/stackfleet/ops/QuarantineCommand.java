package dev.stackfleet.ops;

import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ops quarantine}: takes a workload account out of new placements at once, and has reconcile passes and fleet
 * operations leave its servers and stacks alone. Its servers still answer their owners' requests.
 */
@Command(
        name = "quarantine",
        description = "Quarantine a workload account: no new servers; reconciles and fleet operations leave it alone.")
final class QuarantineCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The workload account.")
    String account;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for whoever looks next.")
    String reason;

    @Override
    public Integer call() {
        if (reason.isBlank()) {
            throw new OpsException("--reason must say why the account is quarantined");
        }
        boolean known = AwsCall.call(
                "dynamodb:UpdateItem",
                ops.accountPoolTable,
                () -> ops.accountPool().quarantine(account, reason.strip(), Instant.now()));
        if (!known) {
            throw new OpsException(account + " is not in the account pool " + ops.accountPoolTable
                    + " (see ./stackfleet ops accounts)");
        }
        ops.out()
                .println("quarantined " + account + ": " + reason.strip() + "; undo with ./stackfleet ops unquarantine "
                        + account);
        return 0;
    }
}
