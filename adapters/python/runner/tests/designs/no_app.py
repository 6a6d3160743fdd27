path = "/ws/{conn}"
