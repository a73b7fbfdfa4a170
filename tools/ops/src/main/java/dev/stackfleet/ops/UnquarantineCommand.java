package dev.stackfleet.ops;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ops unquarantine}: ends an account's quarantine; it takes new servers again if its settings say open. */
@Command(name = "unquarantine", description = "End a workload account's quarantine.")
final class UnquarantineCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The workload account.")
    String account;

    @Override
    public Integer call() {
        boolean known = AwsCall.call(
                "dynamodb:UpdateItem",
                ops.accountPoolTable,
                () -> ops.accountPool().endQuarantine(account));
        if (!known) {
            throw new OpsException(account + " is not in the account pool " + ops.accountPoolTable
                    + " (see ./stackfleet ops accounts)");
        }
        ops.out().println("quarantine of " + account + " ended");
        return 0;
    }
}
