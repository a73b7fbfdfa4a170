package dev.stackfleet.reconciler;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/** Makes a CloudFormation client acting as a role in a workload account (assumed through STS) in a region. */
@FunctionalInterface
public interface WorkloadClients {

    CloudFormationClient cloudFormation(String roleArn, String region);
}
