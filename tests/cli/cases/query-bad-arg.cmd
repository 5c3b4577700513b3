query 'released(2023)'
