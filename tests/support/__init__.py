"""What tests share: the recording API mock, ids, clocks, serving on loopback, signed webhooks, the sandbox."""
