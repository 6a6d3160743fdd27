app = lambda scope, receive, send: None
path = "/ws/{conn}"
def broken(:
    pass
