package io.concordat.protocol.message;

/** A message body that is signed by its sender: a client request, or a message from a replica. */
public sealed interface Signable permits ClientRequest, ReplicaMessage {}
