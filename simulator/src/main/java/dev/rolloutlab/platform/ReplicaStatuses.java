package dev.rolloutlab.platform;

/** Where the state of replica sets is read: all that an observer such as the analysis needs of a platform. */
@FunctionalInterface
public interface ReplicaStatuses {
    ReplicaSetStatus status(ReplicaSet set);
}
