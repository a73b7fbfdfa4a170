package dev.stackfleet.ops;

import dev.stackfleet.core.PoolAccount;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ops accounts}: the workload accounts of the placement pool, each with its state, use against capacity and
 * any quarantine, from the account pool table (a few items: one per account).
 */
@Command(
        name = "accounts",
        description = "List the workload accounts: state, servers against capacity, headroom, quarantine.")
final class AccountsCommand implements Callable<Integer> {

    @ParentCommand
    OpsMain ops;

    @Override
    public Integer call() {
        List<PoolAccount> pool = ops.poolAccounts();
        if (ops.json()) {
            Json.print(ops.out(), pool);
            return 0;
        }
        TextTable table =
                new TextTable("ACCOUNT", "REGION", "STATE", "USED/CAPACITY", "HEADROOM", "NEW SERVERS", "QUARANTINE");
        for (PoolAccount account : pool) {
            table.row(
                    account.accountId(),
                    account.region(),
                    account.state().value(),
                    account.used() + "/" + account.capacity(),
                    Long.toString(account.headroom()),
                    account.takesNewServers() ? "yes" : "no",
                    account.quarantined()
                            ? Formats.abbreviate(account.quarantineReason(), 60) + " (since " + account.quarantinedAt()
                                    + ")"
                            : "-");
        }
        table.print(ops.out());
        long open = pool.stream().filter(PoolAccount::takesNewServers).count();
        ops.err().println(pool.size() + " accounts, " + open + " taking new servers");
        return 0;
    }
}
