#include "process_lifetime.h"

#ifdef __linux__
#include <sys/prctl.h>

int genlab_die_with_parent(int signal) { return prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0); }
#else
int genlab_die_with_parent(int signal) { (void)signal; return -1; }
#endif
