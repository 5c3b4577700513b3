query 'ancestors(chinese-vicuna) excpt ancestors(alpaca)'
