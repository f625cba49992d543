// Ties a worker process's life to its coordinator's (prctl is variadic, so Swift cannot call it).
#pragma once

/// Asks the kernel to send `signal` to this process when its parent dies (Linux's
/// PR_SET_PDEATHSIG). Returns 0 on success, -1 where the system has no such request.
int genlab_die_with_parent(int signal);
