app = object
path = 42
