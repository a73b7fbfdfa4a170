package dev.stackfleet.local;

import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Runs the writes of the client it is installed in one at a time, to give the emulator the isolation DynamoDB
 * guarantees: moto checks and applies a write's conditions and a transaction's items without a lock (two racing
 * writes can both pass one condition), and it undoes a cancelled transaction by putting back copies of the
 * whole tables taken when it began (a write that ran meanwhile is lost). Local mode only; reads are untouched.
 */
final class SerializedWrites implements ExecutionInterceptor {

    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems");

    private final ReentrantLock lock = new ReentrantLock(true);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (isWrite(attributes)) {
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
        if (isWrite(attributes) && lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }

    private static boolean isWrite(ExecutionAttributes attributes) {
        return WRITES.contains(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }
}
