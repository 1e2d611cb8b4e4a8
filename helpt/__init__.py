"""helpt"""
