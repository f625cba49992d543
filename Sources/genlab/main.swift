print("genlab: under construction")
