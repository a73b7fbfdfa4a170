package dev.stackfleet.local;

import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Runs one {@code TransactWriteItems} at a time through the client it is installed in, to give the emulator
 * the isolation DynamoDB guarantees: moto checks and applies a transaction's items one by one without a lock,
 * and undoes a cancelled one by putting back copies of the whole tables taken when it began, so transactions
 * that race each other there can both pass a condition, or bring back an item another one wrote. Local mode
 * only; every other call is untouched.
 */
final class SerializedTransactions implements ExecutionInterceptor {

    private static final String TRANSACT_WRITE_ITEMS = "TransactWriteItems";

    private final ReentrantLock lock = new ReentrantLock(true);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (isTransaction(attributes)) {
            lock.lock();
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        release(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        release(attributes);
    }

    private void release(ExecutionAttributes attributes) {
        if (isTransaction(attributes) && lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }

    private static boolean isTransaction(ExecutionAttributes attributes) {
        return TRANSACT_WRITE_ITEMS.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }
}
